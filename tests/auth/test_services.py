"""Account services: creation rules, edits, deactivation, sign-in with lockout, the CLI."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from werkzeug.security import check_password_hash

from notary.auth.models import User
from notary.auth.services import (
    AccountLocked,
    LoginFailed,
    UserData,
    authenticate,
    change_own_password,
    create_user,
    open_session,
    open_sessions_of,
    set_user_enabled,
    update_user,
)
from notary.core.audit import AuditEntry
from notary.core.errors import DomainError, NotPermitted, ValidationFailed
from notary.core.models import frozen_time
from notary.core.permissions import Role
from notary.extensions import db
from tests.factories import PASSWORD, create_staff

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def audit_actions(user: User) -> list[str]:
    """The audit actions recorded against the user, oldest first."""
    return list(db.session.scalars(
        sa.select(AuditEntry.action)
        .where(AuditEntry.target_type == "users", AuditEntry.target_id == user.id)
        .order_by(AuditEntry.id)))


def user_data(**overrides: object) -> UserData:
    values: dict[str, object] = {"username": "wangfang", "full_name": "王芳",
                                 "role": Role.FRONT_DESK, "password": "Tea-Garden-1987"}
    values.update(overrides)
    return UserData(**values)  # type: ignore[arg-type]


# --- create_user ----------------------------------------------------------------------------


def test_create_user_stores_a_hash_and_audits_without_the_password(app):
    admin = create_staff(Role.ADMIN)
    user = create_user(user_data(phone="13812345678"), actor=admin)

    assert user.id is not None and user.is_enabled and user.role is Role.FRONT_DESK
    assert user.password_hash != "Tea-Garden-1987"
    assert check_password_hash(user.password_hash, "Tea-Garden-1987")
    entry = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == "user.create", AuditEntry.target_id == user.id)).one()
    assert entry.actor_id == admin.id
    assert entry.after["username"] == "wangfang" and entry.after["role"] == "front_desk"
    assert "password" not in entry.after and "Tea-Garden-1987" not in str(entry.after)


@pytest.mark.parametrize("taken", ["wangfang", "WangFang"])
def test_create_user_refuses_a_taken_user_name_in_any_case(app, taken):
    create_user(user_data(username="wangfang"), actor=None)
    with pytest.raises(ValidationFailed) as exc:
        create_user(user_data(username=taken, full_name="另一个王芳"), actor=None)
    assert set(exc.value.errors) == {"username"}
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("wangfang", ""),  # missing
        ("wangfang", "Short-1"),  # under PASSWORD_MIN_LENGTH (10)
        ("wangfang", "woaini1314"),  # common-password list
        ("wangfang", "Password123"),  # common, whatever the case
        ("wangfang", "gongzheng123"),
        ("wangfang", "My-wangfang-2024"),  # contains the user name
        ("wangfang", "WANGFANG-Tea-42"),  # ... in any case
    ],
)
def test_create_user_refuses_weak_passwords(app, username, password):
    with pytest.raises(ValidationFailed) as exc:
        create_user(user_data(username=username, password=password), actor=None)
    assert set(exc.value.errors) == {"password"}
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def test_create_user_reports_every_problem_at_once(app):
    create_user(user_data(username="wangfang"), actor=None)
    with pytest.raises(ValidationFailed) as exc:
        create_user(user_data(username="wangfang", password="123456", locale="fr"), actor=None)
    assert set(exc.value.errors) == {"username", "password", "locale"}


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.ADMIN])
def test_only_an_administrator_creates_users(app, role):
    with pytest.raises(NotPermitted):
        create_user(user_data(), actor=create_staff(role))
    assert db.session.scalar(sa.select(User.id).where(User.username == "wangfang")) is None


# --- update_user ----------------------------------------------------------------------------


def test_update_user_changes_fields_and_audits_only_the_changes(app):
    admin = create_staff(Role.ADMIN)
    user = create_user(user_data(), actor=admin)
    old_hash = user.password_hash
    open_session(user, client_ip="10.0.0.1")

    update_user(user, user_data(full_name="王芳芳", role=Role.ASSISTANT, password=None),
                actor=admin)

    assert (user.full_name, user.role) == ("王芳芳", Role.ASSISTANT)
    assert user.password_hash == old_hash and len(open_sessions_of(user)) == 1
    entry = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == "user.update", AuditEntry.target_id == user.id)).one()
    assert entry.before == {"full_name": "王芳", "role": "front_desk"}
    assert entry.after == {"full_name": "王芳芳", "role": "assistant"}


def test_update_user_with_a_new_password_resets_it_and_ends_sessions(app):
    admin = create_staff(Role.ADMIN)
    user = create_user(user_data(), actor=admin)
    open_session(user, client_ip="10.0.0.1")
    open_session(user, client_ip="10.0.0.2")

    update_user(user, user_data(password="Quiet-River-2031"), actor=admin)

    assert check_password_hash(user.password_hash, "Quiet-River-2031")
    assert open_sessions_of(user) == []
    entry = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == "user.update", AuditEntry.target_id == user.id)).one()
    assert entry.after == {"password": "reset"}


def test_update_user_refuses_another_users_name_and_keeps_the_record(app):
    admin = create_staff(Role.ADMIN)
    create_user(user_data(username="lisi", full_name="李四"), actor=admin)
    user = create_user(user_data(), actor=admin)
    with pytest.raises(ValidationFailed) as exc:
        update_user(user, user_data(username="LiSi", password=None), actor=admin)
    assert set(exc.value.errors) == {"username"}
    db.session.rollback()
    assert db.session.get(User, user.id).username == "wangfang"


def test_update_user_keeps_own_name(app):
    admin = create_staff(Role.ADMIN)
    user = create_user(user_data(), actor=admin)
    update_user(user, user_data(username="WangFang", password=None), actor=admin)
    assert user.username == "WangFang"


def test_update_user_needs_user_manage(app):
    user = create_user(user_data(), actor=None)
    with pytest.raises(NotPermitted):
        update_user(user, user_data(full_name="x"), actor=create_staff(Role.DIRECTOR))


# --- set_user_enabled -----------------------------------------------------------------------


def test_an_administrator_cannot_deactivate_themselves(app):
    admin = create_staff(Role.ADMIN)
    with pytest.raises(DomainError):
        set_user_enabled(admin, False, actor=admin)
    db.session.refresh(admin)
    assert admin.is_enabled
    assert "user.disable" not in audit_actions(admin)


def test_deactivation_ends_sessions_and_sign_in(app):
    admin = create_staff(Role.ADMIN)
    user = create_staff(Role.NOTARY)
    open_session(user, client_ip="10.0.0.1")

    set_user_enabled(user, False, actor=admin)

    assert not user.is_enabled and not user.is_active
    assert open_sessions_of(user) == []  # every cookie naming one of them is refused
    assert audit_actions(user)[-1] == "user.disable"
    with pytest.raises(LoginFailed):
        authenticate(user.username, PASSWORD)

    set_user_enabled(user, True, actor=admin)
    assert user.is_enabled
    assert audit_actions(user)[-1] == "user.enable"
    assert authenticate(user.username, PASSWORD).id == user.id


# --- authenticate ---------------------------------------------------------------------------


def test_wrong_password_counts_a_failure_and_audits_it(app):
    user = create_staff(Role.NOTARY)
    with pytest.raises(LoginFailed):
        authenticate(user.username, "Wrong-Horse-42")
    assert user.failed_logins == 1
    entry = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.target_type == "users", AuditEntry.target_id == user.id)
        .order_by(AuditEntry.id.desc())).first()
    assert entry.action == "user.login_failed" and entry.actor_id is None


def test_unknown_user_fails_the_same_way(app):
    before = db.session.scalar(sa.select(sa.func.count(AuditEntry.id)))
    with pytest.raises(LoginFailed) as exc:
        authenticate("nobody", PASSWORD)
    assert type(exc.value) is LoginFailed
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id))) == before


def test_user_name_is_matched_case_insensitively_and_trimmed(app):
    user = create_staff(Role.NOTARY, username="zhaoliu")
    assert authenticate("  ZhaoLiu ", PASSWORD).id == user.id


def test_five_failures_lock_the_account_for_fifteen_minutes(app):
    user = create_staff(Role.NOTARY)
    with frozen_time(T0):
        for _attempt in range(4):
            with pytest.raises(LoginFailed) as exc:
                authenticate(user.username, "Wrong-Horse-42")
            assert type(exc.value) is LoginFailed
        with pytest.raises(AccountLocked) as locked:
            authenticate(user.username, "Wrong-Horse-42")
    assert locked.value.until == T0 + timedelta(minutes=15)
    assert audit_actions(user)[-5:] == ["user.login_failed"] * 4 + ["user.locked"]

    with frozen_time(T0 + timedelta(minutes=14)), pytest.raises(AccountLocked):
        authenticate(user.username, PASSWORD)  # even the right password
    assert audit_actions(user)[-1] == "user.login_locked"

    with frozen_time(T0 + timedelta(minutes=16)):
        assert authenticate(user.username, PASSWORD).id == user.id
    db.session.refresh(user)
    assert user.failed_logins == 0 and user.locked_until is None
    assert user.last_login_at == T0 + timedelta(minutes=16)
    assert audit_actions(user)[-1] == "user.login"


def test_success_resets_the_failure_counter(app):
    user = create_staff(Role.NOTARY)
    with frozen_time(T0):
        for _attempt in range(4):
            with pytest.raises(LoginFailed):
                authenticate(user.username, "Wrong-Horse-42")
        authenticate(user.username, PASSWORD)
        assert user.failed_logins == 0
        # Four more failures after the success: still not five in a row, so no lock.
        for _attempt in range(4):
            with pytest.raises(LoginFailed) as exc:
                authenticate(user.username, "Wrong-Horse-42")
            assert type(exc.value) is LoginFailed
        assert authenticate(user.username, PASSWORD).id == user.id


# --- change_own_password --------------------------------------------------------------------


def test_change_own_password(app):
    user = create_staff(Role.ASSISTANT)
    open_session(user, client_ip="10.0.0.1")

    change_own_password(user, PASSWORD, "Quiet-River-2031")

    assert open_sessions_of(user) == []
    assert audit_actions(user)[-1] == "user.password"
    with pytest.raises(LoginFailed):
        authenticate(user.username, PASSWORD)
    assert authenticate(user.username, "Quiet-River-2031").id == user.id


@pytest.mark.parametrize(
    ("current", "new", "fields"),
    [
        ("Not-My-Password-1", "Quiet-River-2031", {"current_password"}),
        (PASSWORD, "short", {"new_password"}),
        (PASSWORD, "qwertyuiop", {"new_password"}),
        ("wrong", "123456", {"current_password", "new_password"}),
    ],
)
def test_change_own_password_refused(app, current, new, fields):
    user = create_staff(Role.ASSISTANT)
    old_hash = user.password_hash
    with pytest.raises(ValidationFailed) as exc:
        change_own_password(user, current, new)
    assert set(exc.value.errors) == fields
    db.session.rollback()
    assert db.session.get(User, user.id).password_hash == old_hash


def test_change_own_password_refuses_the_user_name_inside(app):
    user = create_staff(Role.ASSISTANT, username="chenjing")
    with pytest.raises(ValidationFailed) as exc:
        change_own_password(user, PASSWORD, "Chenjing-Spring-9")
    assert set(exc.value.errors) == {"new_password"}


# --- flask users create ---------------------------------------------------------------------


def test_cli_creates_a_user(app):
    result = app.test_cli_runner().invoke(args=[
        "users", "create", "liuyang", "--name", "刘洋", "--role", "notary",
        "--password", "Quiet-River-2031", "--phone", "13900001111"])
    assert result.exit_code == 0, result.output
    assert "created liuyang (notary)" in result.output
    user = db.session.scalars(sa.select(User).where(User.username == "liuyang")).one()
    assert (user.full_name, user.role, user.phone) == ("刘洋", Role.NOTARY, "13900001111")
    assert authenticate("liuyang", "Quiet-River-2031").id == user.id
    entry = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == "user.create", AuditEntry.target_id == user.id)).one()
    assert entry.actor_id is None  # the server operator


def test_cli_prompts_for_the_password_twice(app):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "liuyang", "--name", "刘洋", "--role", "director"],
        input="Quiet-River-2031\nQuiet-River-2031\n")
    assert result.exit_code == 0, result.output
    assert authenticate("liuyang", "Quiet-River-2031").role is Role.DIRECTOR


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["liuyang", "--password", "123456"], "password"),
        (["liuyang", "--password", "Liuyang-Quiet-2031"], "password"),
        (["admin1", "--password", "Quiet-River-2031"], "username"),
    ],
)
def test_cli_validation_errors_exit_1(app, args, field):
    create_staff(Role.ADMIN, username="admin1")
    count = db.session.scalar(sa.select(sa.func.count(User.id)))
    result = app.test_cli_runner().invoke(
        args=["users", "create", *args, "--name", "刘洋", "--role", "notary"])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{field}: ")
    assert "created" not in result.stdout
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == count


def test_cli_rejects_an_unknown_role(app):
    result = app.test_cli_runner().invoke(args=[
        "users", "create", "liuyang", "--name", "刘洋", "--role", "boss",
        "--password", "Quiet-River-2031"])
    assert result.exit_code == 2
    assert db.session.scalar(sa.select(User.id).where(User.username == "liuyang")) is None
