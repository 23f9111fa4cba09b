// A module registering two generators, for libraries that hold several.
import "./simple.ts";
import "./gradient.ts";
