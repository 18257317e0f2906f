// Calls one method of a Dafny program compiled to JavaScript, on many inputs, in one node
// process (start-up is the expensive part). Usage:
//   node js_runner.js PROGRAM.js REQUEST.json RESULTS.jsonl
// REQUEST: {module, cls, method, params: [{name, type}], outs: [{name, type}], calls: [{...}]}
// Types are trees: {k: "int"|"bool"|"char"|"string"|"real"|"seq"|"set"|"multiset"|"map"|"array", e, key, val}.
// One JSON line per call is appended to RESULTS as soon as it finishes, so a hang or a
// crash in call k still leaves the answers of calls 0..k-1.
"use strict";
const fs = require("fs");
const path = require("path");

const [programPath, requestPath, resultsPath] = process.argv.slice(2);
const request = JSON.parse(fs.readFileSync(requestPath, "utf8"));
const program = require(path.resolve(programPath));
const BigNumber = require("bignumber.js");
const _dafny = program._dafny;

function toDafny(value, type) {
  switch (type.k) {
    case "int":
      if ((typeof value === "string" && /^-?[0-9]+$/.test(value)) || Number.isInteger(value))
        return new BigNumber(String(value));
      throw new Error("expected an integer, got " + JSON.stringify(value));
    case "native":
      if (Number.isSafeInteger(Number(value))) return Number(value);
      throw new Error("expected a machine integer, got " + JSON.stringify(value));
    case "real": {
      // "n/d" or "n" (a fraction in lowest terms, d > 0), or a decimal
      const [n, d] = String(value).split("/");
      if (d === undefined) return new _dafny.BigRational(new BigNumber(n));
      return new _dafny.BigRational(new BigNumber(n), new BigNumber(d));
    }
    case "bool":
      if (typeof value !== "boolean") throw new Error("expected a boolean, got " + JSON.stringify(value));
      return value;
    case "char":
      if (typeof value !== "string" || [...value].length !== 1)
        throw new Error("expected a 1-character string, got " + JSON.stringify(value));
      return value;
    case "string":
      if (Array.isArray(value)) return value.join("");
      if (typeof value !== "string") throw new Error("expected a string, got " + JSON.stringify(value));
      return value;
    case "seq":
      if (type.e.k === "char") return toDafny(value, { k: "string" });
      return _dafny.Seq.of(...value.map((v) => toDafny(v, type.e)));
    case "set":
      return _dafny.Set.fromElements(...value.map((v) => toDafny(v, type.e)));
    case "multiset":
      return _dafny.MultiSet.fromElements(...value.map((v) => toDafny(v, type.e)));
    case "map": {
      let m = _dafny.Map.Empty;
      for (const [k, v] of value) m = m.update(toDafny(k, type.key), toDafny(v, type.val));
      return m;
    }
    case "array":
      return value.map((v) => toDafny(v, type.e));
    default:
      throw new Error("unsupported parameter type " + JSON.stringify(type));
  }
}

// Values back to JSON with tags Python resolves: {"$int": "…"} keeps any size exact.
function fromDafny(value) {
  if (value === undefined || value === null) return null;
  if (BigNumber.isBigNumber(value)) {
    return value.isInteger() ? { $int: value.toFixed() } : { $real: value.toFixed() };
  }
  if (typeof value === "boolean" || typeof value === "string") return value;
  if (typeof value === "number") return Number.isInteger(value) ? { $int: String(value) } : value;
  if (_dafny.BigRational && value instanceof _dafny.BigRational) {
    return { $real: value.num.toFixed() + "/" + value.den.toFixed() };
  }
  if (value instanceof _dafny.MultiSet) {
    const out = [];
    for (const [k, n] of value) {
      for (let i = new BigNumber(0); i.isLessThan(n); i = i.plus(1)) out.push(fromDafny(k));
    }
    return { $multiset: out };
  }
  if (value instanceof _dafny.Set) return { $set: Array.from(value, fromDafny) };
  if (value instanceof _dafny.Map) return { $map: Array.from(value, ([k, v]) => [fromDafny(k), fromDafny(v)]) };
  if (value instanceof _dafny.Seq || Array.isArray(value)) return Array.from(value, fromDafny);
  return { $value: _dafny.toString(value) };
}

function target() {
  let mod = program[request.module];
  if (mod === undefined) throw new Error("no module " + request.module + " in the compiled program");
  const cls = mod[request.cls];
  if (cls === undefined) throw new Error("no class " + request.cls + " in module " + request.module);
  // Dafny 2.3's JS names a method `Main` (any program's entry point) `_default_Main`
  const fn = typeof cls[request.method] === "function" ? cls[request.method] : cls["_default_" + request.method];
  if (typeof fn !== "function") throw new Error("no static method " + request.method + " in " + request.cls);
  return fn.bind(cls);
}

let fn = null;
let setupError = null;
try {
  fn = target();
} catch (e) {
  setupError = String(e && e.message ? e.message : e);
}

fs.writeFileSync(resultsPath, "");
for (const inputs of request.calls) {
  const result = { outputs: {}, arrays_after: {}, error: null };
  if (setupError !== null) {
    result.error = setupError;
  } else {
    try {
      const args = request.params.map((p) => {
        if (!(p.name in inputs)) throw new Error("missing input for parameter " + p.name);
        return toDafny(inputs[p.name], p.type);
      });
      const ret = fn(...args);
      if (request.outs.length === 1) {
        result.outputs[request.outs[0].name] = fromDafny(ret);
      } else if (request.outs.length > 1) {
        request.outs.forEach((o, i) => (result.outputs[o.name] = fromDafny(ret[i])));
      }
      request.params.forEach((p, i) => {
        if (p.type.k === "array") result.arrays_after[p.name] = fromDafny(args[i]);
      });
    } catch (e) {
      result.error = String(e && e.stack ? e.stack.split("\n").slice(0, 3).join(" | ") : e);
    }
  }
  fs.appendFileSync(resultsPath, JSON.stringify(result) + "\n");
}
