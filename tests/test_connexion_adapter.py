"""Connexion's internals the sandbox relies on are still where connexion_adapter.py expects
them. A Connexion release that moves, renames or reshapes one fails here, naming it."""

from __future__ import annotations

import hashlib
import importlib
import inspect

import pytest
from connexion import ConnexionMiddleware

from mock_server import connexion_adapter
from mock_server.connexion_adapter import CONNEXION_REACH, STACK, ContractErrors, Reach

VALIDATION_STEPS_DIGEST = "af472716211911b9"    # of Connexion 3.3.0's RequestValidationOperation.__call__


def owner_of(reach: Reach):
    module_name, _, class_name = reach.owner.rpartition(".")
    try:
        return getattr(importlib.import_module(module_name), class_name)
    except (ImportError, AttributeError):
        pytest.fail(f"Connexion moved {reach.owner} (connexion_adapter uses {reach.owner}.{reach.name})")


def kind_of(owner: type, name: str) -> str | None:
    """How `name` is defined on `owner` (or its bases), as Reach.kind spells it."""
    for cls in owner.__mro__:
        if name in cls.__dict__:
            raw = cls.__dict__[name]
            if isinstance(raw, (classmethod, staticmethod, property)):
                return type(raw).__name__
            if isinstance(raw, type):
                return "class"
            return "async method" if inspect.iscoroutinefunction(raw) else "method"
    sources = "".join(inspect.getsource(cls.__init__) for cls in owner.__mro__
                      if "__init__" in cls.__dict__ and cls.__module__.startswith("connexion"))
    return "attribute" if f"self.{name} =" in sources else None


def parameters_of(owner: type, name: str) -> tuple[str, ...]:
    raw = inspect.getattr_static(owner, name)
    function = raw.__func__ if isinstance(raw, (classmethod, staticmethod)) else raw
    names = tuple(inspect.signature(function).parameters)
    return names[1:] if names and names[0] in ("self", "cls") else names


@pytest.mark.parametrize("reach", CONNEXION_REACH, ids=lambda r: f"{r.owner}.{r.name}")
def test_every_private_name_the_adapter_uses_still_exists(reach: Reach) -> None:
    owner = owner_of(reach)
    found = kind_of(owner, reach.name)
    assert found == reach.kind, (f"{reach.owner}.{reach.name}: connexion_adapter expects a "
                                 f"{reach.kind}, Connexion now has {found or 'nothing'}")
    if reach.kind not in ("attribute", "property", "class"):
        assert parameters_of(owner, reach.name) == reach.parameters, (
            f"{reach.owner}.{reach.name}: parameters changed to {parameters_of(owner, reach.name)}, "
            f"connexion_adapter expects {reach.parameters}")


def test_every_override_in_the_adapter_is_listed() -> None:
    """A method the adapter's validators override is a name past the public API: listed."""
    listed = {(r.owner.rpartition(".")[2], r.name) for r in CONNEXION_REACH}
    for _, cls in inspect.getmembers(connexion_adapter, inspect.isclass):
        if cls.__module__ != connexion_adapter.__name__:
            continue
        connexion_bases = [b for b in cls.__mro__[1:] if b.__module__.startswith("connexion")]
        for name in cls.__dict__:
            overridden = [b for b in connexion_bases if name in b.__dict__]
            if overridden and not name.startswith(("__", "_abc_")):     # dunders, ABCMeta's own
                assert any((b.__name__, name) in listed for b in connexion_bases), (
                    f"{cls.__name__}.{name} overrides {overridden[0].__module__}."
                    f"{overridden[0].__name__}.{name}: add it to CONNEXION_REACH")

def test_the_stack_is_connexions_default_less_what_the_sandbox_does_itself() -> None:
    """Each layer is one of Connexion's defaults or a subclass of one (compiled validation),
    but the error layer, in place of Connexion's two."""
    defaults = ConnexionMiddleware.default_middlewares
    missing = [m.__name__ for m in STACK
               if m is not ContractErrors and not any(issubclass(m, default) for default in defaults)]
    assert not missing, f"not in ConnexionMiddleware.default_middlewares any more: {missing}"
    replaced = {"ServerErrorMiddleware", "ExceptionMiddleware"} - {m.__name__ for m in defaults}
    assert not replaced, f"ContractErrors stands in for {replaced}, no longer in Connexion's stack"


def test_compiled_validation_runs_the_steps_connexion_runs() -> None:
    """CompiledValidation runs RequestValidationOperation.__call__'s steps with what they build
    made once; a release that changes those steps must be read again, so it fails here."""
    from connexion.middleware.request_validation import RequestValidationOperation
    source = inspect.getsource(RequestValidationOperation.__call__)
    digest = hashlib.sha256(source.encode()).hexdigest()[:16]
    assert digest == VALIDATION_STEPS_DIGEST, (
        "Connexion changed RequestValidationOperation.__call__ (digest " + digest + "): compare it "
        "with connexion_adapter.CompiledValidation, then update VALIDATION_STEPS_DIGEST")


def test_the_routing_key_is_where_connexions_routing_writes_it() -> None:
    from connexion.middleware import routing
    assert "ROUTING_CONTEXT" in inspect.getsource(routing), \
        "connexion.middleware.routing no longer writes scope['extensions'][ROUTING_CONTEXT]"
