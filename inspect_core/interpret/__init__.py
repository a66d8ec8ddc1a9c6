"""Interpret one barcode scan: GS1 element string, Digital Link, HRI, GTIN/UPC or typed NDC.

Pure functions, no I/O; ``resolve_ndc`` settles NDC splits from the directory
afterwards. Error and warning codes are listed in :mod:`inspect_core.interpret.codes`.

>>> from datetime import date
>>> result = interpret("]d2010030002140701817270300" "10LOT42\\x1d21SN0001",
...                    InterpretOptions(today=date(2025, 1, 1)))
>>> result.gtin, result.ndc10, result.lot, result.serial, str(result.expiry), result.valid
('00300021407018', '0002140701', 'LOT42', 'SN0001', '2027-03-31', True)
"""

from inspect_core.interpret.core import interpret
from inspect_core.interpret.ndc_resolution import NdcResolver, resolve_ndc
from inspect_core.interpret.options import InterpretOptions
from inspect_core.interpret.result import Interpretation

__all__ = ["InterpretOptions", "Interpretation", "NdcResolver", "interpret", "resolve_ndc"]
