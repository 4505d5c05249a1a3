"""Command-line groups, thin wrappers over the services."""

from __future__ import annotations

from typing import Any

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


token_cli = AppGroup("token", help="Personal API tokens (shown once, stored hashed).")
users_cli.add_command(token_cli)


@token_cli.command("create")
@click.argument("username")
@click.option("--name", required=True, help="What the token is for, e.g. the script's name.")
@click.option("--expires-in-days", type=int, default=None, help="Expire after this many days.")
@click.password_option("--password", confirmation_prompt=False,
                       help="The user's own password (asked for when not given).")
def create_token_command(username: str, name: str, expires_in_days: int | None,
                         password: str) -> None:
    """Create your own API token and print its secret (the only time it is shown).

    The user's own password is asked for, checked as at sign-in (failures count towards the
    lockout): whoever runs the server cannot mint a token that acts as someone else.
    """
    from notary.api.services import create_token
    from notary.auth.services import AccountLocked, LoginFailed, SignInThrottled, authenticate

    try:
        user = authenticate(username, password)
    except (LoginFailed, AccountLocked, SignInThrottled) as exc:
        click.echo(exc.message, err=True)
        raise SystemExit(1) from exc
    try:
        new = create_token(user, name, actor=user, expires_in_days=expires_in_days)
    except ValidationFailed as exc:
        for field, messages in exc.errors.items():
            for message in messages:
                click.echo(f"{field}: {message}", err=True)
        raise SystemExit(1) from exc
    click.echo(f"token {new.token.id} for {user.username} ({user.role.value}); "
               "store it now, it is not shown again:", err=True)
    click.echo(new.secret)


@token_cli.command("list")
@click.argument("username")
def list_tokens_command(username: str) -> None:
    """List a user's API tokens (prefix only, never the secret)."""
    from notary.api.services import tokens_of

    for token in tokens_of(_user_named(username)):
        state = "revoked" if token.revoked_at else "active"
        used = token.last_used_at.isoformat() if token.last_used_at else "never used"
        click.echo(f"{token.id}\t{token.prefix}…\t{state}\t{used}\t{token.name}")


@token_cli.command("revoke")
@click.argument("token_id", type=int)
def revoke_token_command(token_id: int) -> None:
    """Revoke an API token: every later request with it is refused."""
    from notary.api.services import get_token, revoke_token
    from notary.core.errors import NotFound

    try:
        token = revoke_token(get_token(token_id), actor=None)
    except NotFound as exc:
        raise click.UsageError(exc.message) from exc
    click.echo(f"revoked token {token.id} ({token.prefix}…) of {token.user.username}")


def _user_named(username: str) -> Any:
    from notary.auth.models import User
    from notary.extensions import db

    user = db.session.scalar(sa.select(User).where(User.username == username))
    if user is None:
        raise click.UsageError(f"no user {username}")
    return user


@demo_cli.command("load")
@click.option("--cases", default=200, show_default=True, help="How many demo cases.")
@click.option("--seed", default=2026, show_default=True)
@click.option("--scenario", type=click.Choice(["office", "leiyang-half-year"]), default="office",
              show_default=True, help="leiyang-half-year: the office report's first half of 2025.")
def load_demo_command(cases: int, seed: int, scenario: str) -> None:
    """Load the demo office (idempotent): staff in every role and about 200 cases."""
    from notary.demo import DEMO_PASSWORD, load_demo

    if scenario == "leiyang-half-year":
        from notary.statistics.demo import load_leiyang

        loaded = load_leiyang()
        for error in loaded.errors:
            click.echo(f"{error.sheet} row {error.row}: {error.reason}", err=True)
        if loaded.errors:
            raise SystemExit(1)
        click.echo(f"leiyang half-year: {len(loaded.cases)} cases and "
                   f"{len(loaded.consultations)} consultations added "
                   f"({loaded.skipped_cases + loaded.skipped_consultations} already there)")
        click.echo("report: flask stats report --year 2025 --half 1 --format json")
        return
    result = load_demo(cases=cases, seed=seed)
    if result.created_cases:
        click.echo(f"demo office loaded: {result.created_cases} cases")
    else:
        click.echo("demo office already loaded")
    click.echo("demo logins, one per role:")
    for username, role in result.logins:
        click.echo(f"  {role:<16} user {username:<10} password {DEMO_PASSWORD}")


@demo_cli.command("generate")
@click.option("--cases", type=click.IntRange(0), default=20_000, show_default=True)
@click.option("--consultations", type=click.IntRange(0), default=None,
              help="Default: three per case.")
@click.option("--seed", default=2026, show_default=True)
@click.option("--years", type=click.IntRange(1, 30), default=None,
              help="Years of history (default: one per 100,000 cases, 1 to 10).")
def generate_demo_command(cases: int, consultations: int | None, seed: int,
                          years: int | None) -> None:
    """Bulk-generate consistent cases and consultations (benchmarks; same seed, same data)."""
    from notary.demo_generate import generate

    total = cases if cases else 1
    with click.progressbar(length=total, label="cases", show_pos=True) as bar:
        result = generate(cases=cases, consultations=3 * cases
                          if consultations is None else consultations, seed=seed, years=years,
                          progress=bar.update)
    rows = sum(result.rows.values())
    click.echo(f"{result.cases} cases, {result.consultations} consultations, {rows} rows in "
               f"{result.seconds:.1f} s ({result.cases_per_second:,.0f} cases/s)")


stats_cli = AppGroup("stats", help="Statistics and reports.")
ledger_cli = AppGroup("ledger", help="The office's ledger (台账).")


@stats_cli.command("report")
@click.option("--year", type=int, help="The year (alone: the whole year).")
@click.option("--half", type=click.IntRange(1, 2), help="1: January-June, 2: July-December.")
@click.option("--quarter", type=click.IntRange(1, 4))
@click.option("--month", type=click.IntRange(1, 12))
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), help="First day (local).")
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), help="Last day, included.")
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json",
              show_default=True)
def stats_report_command(year: int | None, half: int | None, quarter: int | None,
                         month: int | None, start: Any, end: Any, fmt: str) -> None:
    """Print a period's figures: one JSON object (the justice bureau's contract), or CSV."""
    import json

    from notary.statistics import exports, queries
    from notary.statistics.rules import make_period

    try:
        period = make_period(year=year, half=half, month_=month, quarter_=quarter,
                             start=start.date() if start else None,
                             end=end.date() if end else None)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    figures = queries.report(period)
    if fmt == "json":
        click.echo(json.dumps(figures, ensure_ascii=False, sort_keys=False))
    else:
        click.echo(exports.csv_text(figures), nl=False)


@ledger_cli.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Check every row and write nothing.")
@click.option("--user", "username", default=None,
              help="The account the import is recorded under (default: the first director).")
def ledger_import_command(files: tuple[str, ...], dry_run: bool, username: str | None) -> None:
    """Import ledger files (XLSX with sheets 案件 / 咨询接待, or CSV): all rows or none."""
    from pathlib import Path

    from notary.auth.models import User
    from notary.extensions import db
    from notary.ledger.services import import_ledger, read_ledger

    stmt = sa.select(User).where(User.is_enabled.is_(True))
    stmt = stmt.where(User.username == username) if username else stmt.where(
        User.role.in_([Role.DIRECTOR, Role.ADMIN])).order_by(User.role.desc(), User.id)
    actor = db.session.scalars(stmt.limit(1)).first()
    if actor is None:
        raise click.UsageError("no such enabled account (create a director or pass --user)")
    ledger = read_ledger([(Path(f).name, Path(f).read_bytes()) for f in files])
    with click.progressbar(length=max(len(ledger.cases) + len(ledger.consultations), 1),
                           label="importing") as bar:
        state = {"done": 0}

        def progress(done: int, total: int) -> None:
            bar.update(done - state["done"])
            state["done"] = done

        result = import_ledger(ledger, actor=actor, dry_run=dry_run, progress=progress)
    for error in result.errors:
        click.echo(f"{error.sheet} row {error.row}: {error.reason}", err=True)
    for note in result.warnings:  # imported all the same (an outcome in the ledger's own words)
        click.echo(f"note: {note.sheet} row {note.row}: {note.reason}", err=True)
    summary = (f"{len(result.cases)} cases, {len(result.consultations)} consultations; "
               f"{result.skipped_cases + result.skipped_consultations} already imported")
    if result.errors:
        click.echo(f"{len(result.errors)} problems: nothing imported ({summary})", err=True)
        raise SystemExit(1)
    click.echo(("dry run, would import " if dry_run else "imported ") + summary)


audit_cli = AppGroup("audit", help="The audit trail.")


@audit_cli.command("verify")
@click.option("--batch", default=5000, show_default=True, help="Rows fetched per round trip.")
def audit_verify_command(batch: int) -> None:
    """Check the audit trail's hash chain; exit 1 naming the first broken entry."""
    from notary.core.audit import verify_chain
    from notary.extensions import db

    with db.engine.connect() as conn:
        checked, broken = verify_chain(conn, batch=batch)
    if broken is not None:
        click.echo(f"BROKEN at entry {broken.entry_id}: {broken.problem} "
                   f"({checked} entries read)", err=True)
        raise SystemExit(1)
    click.echo(f"audit trail intact: {checked} entries")


backup_cli = AppGroup("backup", help="Back up and restore the database and stored files.")


@backup_cli.command("create")
@click.option("--output", default=None, type=click.Path(file_okay=False),
              help="Folder for the archive (default: <instance>/backups).")
def backup_create_command(output: str | None) -> None:
    """Write a consistent backup while the system runs: database, uploads, issued PDFs."""
    from pathlib import Path

    from flask import current_app

    from notary.core.backup import BackupError, create_backup
    from notary.extensions import db

    folder = Path(output) if output else Path(current_app.instance_path) / "backups"
    try:
        result = create_backup(db.engine, current_app.config, folder)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{result.archive} ({result.files} files, {result.size} bytes)")


@backup_cli.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False))
@click.option("--force", is_flag=True, help="Overwrite a database that holds data.")
def backup_restore_command(archive: str, force: bool) -> None:
    """Restore a backup archive (refuses a non-empty database without --force)."""
    from pathlib import Path

    from flask import current_app

    from notary.core.backup import BackupError, restore_backup
    from notary.extensions import db

    db.session.remove()
    try:
        manifest = restore_backup(db.engine, current_app.config, Path(archive), force=force)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"restored the backup of {manifest['created_at']} "
               f"({len(manifest['files']) - 1} files)")


retention_cli = AppGroup("retention", help="Retention of personal information.")


@retention_cli.command("report")
def retention_report_command() -> None:
    """List, per record kind, what is past its retention period."""
    from notary.retention import retention_report

    for line in retention_report():
        period = "permanent" if line.retention_days is None else f"{line.retention_days} days"
        click.echo(f"{line.kind:<28} {period:<12} {line.due:>8} past  {line.action}")


@retention_cli.command("apply")
@click.option("--apply", "really", is_flag=True, help="Make the changes (default: dry run).")
def retention_apply_command(really: bool) -> None:
    """Anonymise the non-legal records past their retention period (audited)."""
    from notary.retention import apply_retention, retention_report

    if not really:
        for line in retention_report():
            if line.action == "anonymise" and line.due:
                click.echo(f"would anonymise {line.due} {line.kind}")
        click.echo("dry run: nothing changed (pass --apply)")
        return
    for kind, count in apply_retention(actor=None).items():
        click.echo(f"anonymised {count} {kind}")


fees_cli = AppGroup("fees", help="Fees.")


@fees_cli.command("day-totals")
@click.option("--rebuild", is_flag=True, help="Write the day book again from the rows.")
def fees_day_totals_command(rebuild: bool) -> None:
    """Check the fee day book (what the totals page sums) against the payments, refunds and
    approved reductions; exit 1 naming the days that differ. --rebuild writes it again."""
    from notary.extensions import db
    from notary.fees import daybook

    with db.engine.begin() as conn:
        if rebuild:
            click.echo(f"day book rebuilt: {daybook.rebuild(conn)} cells")
        wrong = daybook.differences(conn)
    for (day, notary), (kept, actual) in list(wrong.items())[:20]:
        click.echo(f"{day} notary {notary}: book {kept}, rows {actual}", err=True)
    if wrong:
        click.echo(f"{len(wrong)} day cells differ from the rows (run with --rebuild)", err=True)
        raise SystemExit(1)
    click.echo("fee day book agrees with the rows")
