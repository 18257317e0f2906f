"""The harness's own error: the input (spec, target, requires) cannot be tested as given."""

from __future__ import annotations

from verifier.errors import ProofrouteError


class HarnessInputError(ProofrouteError, ValueError):
    """Bad input to `proofroute test`: exit code 2, like the CLI contract says.

    Covers a target that cannot be found or loaded, a signature that does not fit the
    spec, requires that cannot be executed, and requires no generated input satisfies.
    """

    exit_code = 2
