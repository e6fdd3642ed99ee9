"""Flask extensions, created unbound so the application factory can bind them."""

from flask_compress import Compress
from flask_login import AnonymousUserMixin, LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """The declarative base every model derives from.

    Named constraints let Alembic alter tables on SQLite (batch mode) and
    PostgreSQL alike.
    """

    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


class Visitor(AnonymousUserMixin):
    """Whoever is not signed in, answering the role questions an account answers.

    Flask-Login lets ``OPTIONS`` through ``login_required`` signed out (for CORS
    preflights), so the blueprints' guards meet visitors too; asked
    ``is_teacher``, a visitor says no rather than raising.
    """

    is_teacher = False


db = SQLAlchemy(model_class=Base)
csrf = CSRFProtect()
compress = Compress()
login_manager = LoginManager()
login_manager.anonymous_user = Visitor
login_manager.login_view = "auth.login"
login_manager.login_message = "Please sign in to see that page."
login_manager.login_message_category = "info"
