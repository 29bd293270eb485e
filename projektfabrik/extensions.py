"""Flask extensions, created unbound here and bound in :func:`create_app`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy

from projektfabrik.db import Base
from projektfabrik.formerrors import RerenderingCSRFProtect
from projektfabrik.ratelimit import rate_limit_key

db = SQLAlchemy(model_class=Base)

#: The base class of every model: ``class Project(TenantScoped, Model)``. It is
#: ``db.Model``; type checkers cannot see through that attribute, so they are
#: shown the declarative base it is made from.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
login_manager = LoginManager()
#: A bad token does not stop the request at once: see formerrors.py.
csrf = RerenderingCSRFProtect()
babel = Babel()
limiter = Limiter(key_func=rate_limit_key, default_limits=[])
