"""`allo db upgrade` and `allo user create / update / list`."""

from __future__ import annotations

from pathlib import Path

import typer

from allo.domain.user import Role
from allo.entrypoints.cli.common import application_on, console, settings_with

db_app = typer.Typer(no_args_is_help=True, help="Database schema.")
user_app = typer.Typer(no_args_is_help=True, help="User accounts.")

DATA_DIR = typer.Option(None, "--data-dir", help="Folder for the SQLite file and key (ALLO_DATA_DIR).")
DB_URL = typer.Option(None, "--database-url", help="Database URL (ALLO_DATABASE_URL).")


@db_app.command("upgrade")
def upgrade(data_dir: Path | None = DATA_DIR, database_url: str | None = DB_URL) -> None:
    """Apply pending migrations."""
    from allo.adapters.storage import migrate
    from allo.adapters.storage.database import make_engine

    settings = settings_with(data_dir, database_url)
    engine = make_engine(settings.resolved_database_url)
    migrate.upgrade(engine)
    console.print(f"database at revision {migrate.current_revision(engine)}")
    engine.dispose()


@user_app.command("create")
def create_user(
    username: str = typer.Argument(..., help="Login name (lower-case letters, digits, . _ -)."),
    role: Role = typer.Option(..., "--role", help="admin, dispatcher, merchant or courier."),
    password: str = typer.Option(..., "--password", prompt=True, hide_input=True, confirmation_prompt=True,
                                 envvar="ALLO_NEW_USER_PASSWORD", help="At least 8 characters."),
    merchant_id: str | None = typer.Option(None, "--merchant", help="The shop of a merchant user."),
    courier_id: str | None = typer.Option(None, "--courier", help="The courier of a courier user."),
    data_dir: Path | None = DATA_DIR,
    database_url: str | None = DB_URL,
) -> None:
    """Create a user who can log in."""
    from allo.services import accounts

    with application_on(data_dir, database_url) as app:
        user = accounts.create_user(app.ctx, username=username, password=password, role=role,
                                    merchant_id=merchant_id, courier_id=courier_id)
    console.print(f"created {user.role.value} {user.username} ({user.id})")


@user_app.command("update")
def update_user(
    username: str = typer.Argument(..., help="The login to change."),
    password: str | None = typer.Option(None, "--password", help="A new password (its sessions end)."),
    active: bool | None = typer.Option(None, "--active/--inactive",
                                       help="Let the login in again, or lock it out at once."),
    data_dir: Path | None = DATA_DIR,
    database_url: str | None = DB_URL,
) -> None:
    """Lock a login out (someone who left), let it in again, or give it a new password."""
    from allo.domain.errors import NotFound
    from allo.services import accounts
    from allo.services.principal import SYSTEM

    with application_on(data_dir, database_url) as app:
        with app.ctx.uow() as uow:
            found = uow.users.find_by_username(username.strip().lower())
        if found is None:
            raise NotFound(f"no user {username}", code="user_not_found")
        user = accounts.update_user(app.ctx, principal=SYSTEM, user_id=found.id, active=active, password=password)
    state = "active" if user.active else "locked out"
    console.print(f"updated {user.role.value} {user.username}: {state}" + (", new password" if password else ""))


@user_app.command("list")
def list_users(data_dir: Path | None = DATA_DIR, database_url: str | None = DB_URL) -> None:
    """The logins: username, role, shop or courier, active or locked out."""
    from allo.services import accounts

    with application_on(data_dir, database_url) as app:
        for u in accounts.list_users(app.ctx):
            of = u.merchant_id or u.courier_id or "-"
            typer.echo(f"{u.username}\t{u.role.value}\t{of}\t{'active' if u.active else 'locked out'}")
