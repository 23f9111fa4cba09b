import { describeApp } from "./helpers.ts";
import { interpolate } from "../../bench/apps/interpolate/app.ts";

// Compiled schedules are not tested yet: INTERPOLATE_BLOCKED (bench/apps/interpolate/app.ts) says why.
describeApp(interpolate, null);
