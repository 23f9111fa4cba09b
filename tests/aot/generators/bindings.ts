// The generators of the ts-binding tests, in one module.
import "./gradient.ts";
import "./lut.ts";
