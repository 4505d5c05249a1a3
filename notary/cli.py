"""Command-line groups, thin wrappers over the services."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from notary.core.errors import ValidationFailed
from notary.core.permissions import Role

users_cli = AppGroup("users", help="Manage staff accounts.")
demo_cli = AppGroup("demo", help="Demo data.")


@users_cli.command("create")
@click.argument("username")
@click.option("--name", "full_name", required=True, help="Full name shown in the register.")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--phone", default=None)
def create_user_command(username: str, full_name: str, role: str, password: str,
                        phone: str | None) -> None:
    """Create a staff account."""
    from notary.auth.services import UserData, create_user

    try:
        user = create_user(UserData(username=username, full_name=full_name, role=Role(role),
                                    phone=phone, password=password), actor=None)
    except ValidationFailed as exc:
        for field, messages in exc.errors.items():
            for message in messages:
                click.echo(f"{field}: {message}", err=True)
        raise SystemExit(1) from exc
    click.echo(f"created {user.username} ({user.role.value})")


@users_cli.command("list")
def list_users_command() -> None:
    """List staff accounts."""
    from notary.auth.models import User
    from notary.extensions import db

    for user in db.session.scalars(sa.select(User).order_by(User.id)):
        state = "active" if user.is_enabled else "inactive"
        click.echo(f"{user.id}\t{user.username}\t{user.role.value}\t{state}\t{user.full_name}")


@demo_cli.command("load")
@click.option("--cases", default=200, show_default=True, help="How many demo cases.")
@click.option("--seed", default=2026, show_default=True)
def load_demo_command(cases: int, seed: int) -> None:
    """Load the demo office (idempotent): staff in every role and about 200 cases."""
    from notary.demo import DEMO_PASSWORD, load_demo

    result = load_demo(cases=cases, seed=seed)
    if result.created_cases:
        click.echo(f"demo office loaded: {result.created_cases} cases")
    else:
        click.echo("demo office already loaded")
    click.echo("demo logins, one per role:")
    for username, role in result.logins:
        click.echo(f"  {role:<16} user {username:<10} password {DEMO_PASSWORD}")
