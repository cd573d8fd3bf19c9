"""Each adapter package raises exceptions of one tree, whose root and branches its docstring draws."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from types import ModuleType

import pytest

import adapters


def _adapter_packages() -> list[str]:
    return sorted(f"adapters.{info.name}" for info in pkgutil.iter_modules(adapters.__path__) if info.ispkg)


def _exceptions_of(package_name: str) -> list[type[BaseException]]:
    package = importlib.import_module(package_name)
    modules: list[ModuleType] = [package]
    for info in pkgutil.walk_packages(package.__path__, prefix=f"{package_name}."):
        modules.append(importlib.import_module(info.name))
    found: dict[str, type[BaseException]] = {}
    for module in modules:
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, BaseException) and value.__module__.startswith(f"{package_name}."):
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return list(found.values())


def _roots(exceptions: list[type[BaseException]]) -> list[type[BaseException]]:
    own = set(exceptions)
    return [cls for cls in exceptions if not any(base in own for base in cls.__mro__[1:])]


def test_the_adapter_packages_are_found() -> None:
    assert {"adapters.pki", "adapters.shep", "adapters.signatures", "adapters.storage", "adapters.xml"} <= set(
        _adapter_packages()
    )


@pytest.mark.parametrize("package_name", _adapter_packages())
def test_every_exception_of_an_adapter_package_derives_from_its_one_root(package_name: str) -> None:
    exceptions = _exceptions_of(package_name)
    if not exceptions:
        pytest.skip(f"{package_name} defines no exception")
    roots = _roots(exceptions)
    assert len(roots) == 1, f"{package_name} has several exception roots: {sorted(r.__name__ for r in roots)}"
    assert all(issubclass(cls, roots[0]) for cls in exceptions)


@pytest.mark.parametrize("package_name", _adapter_packages())
def test_the_package_docstring_draws_every_exception(package_name: str) -> None:
    doc = importlib.import_module(package_name).__doc__ or ""
    missing = sorted(cls.__name__ for cls in _exceptions_of(package_name) if cls.__name__ not in doc)
    assert not missing, f"{package_name}'s docstring does not draw {missing}"


def test_the_gateway_protocol_errors_hang_from_shep_error() -> None:
    from adapters.shep.envelope import EnvelopeError
    from adapters.shep.errors import ShepError
    from adapters.shep.faults import GatewayFault
    from adapters.shep.rest_client import RestChannelError
    from adapters.shep.service_call import ServiceAnswerError, ServiceCallError
    from adapters.shep.spyne_provider import ProviderError
    from adapters.shep.sync_client import GatewayUnreachable

    for cls in (EnvelopeError, GatewayFault, RestChannelError, ServiceCallError, ProviderError, GatewayUnreachable):
        assert issubclass(cls, ShepError)
    assert issubclass(ServiceAnswerError, ServiceCallError)
    assert issubclass(EnvelopeError, ValueError)  # callers that read a message catch ValueError
