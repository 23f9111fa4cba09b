import { describeApp } from "./helpers.ts";
import { hist } from "../../bench/apps/hist/app.ts";

// Compiled schedules are not tested yet: HIST_BLOCKED (bench/apps/hist/app.ts) says why.
describeApp(hist, null);
