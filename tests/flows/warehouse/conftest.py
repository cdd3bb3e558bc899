import pytest

from flows.warehouse import Warehouse
from tests.flows.warehouse.warehouse_samples import fill


@pytest.fixture
def sample_warehouse(tmp_path) -> Warehouse:
    """The sample warehouse of `warehouse_samples`, entities rebuilt."""
    return fill(Warehouse(tmp_path / "warehouse"))
