import { describeApp } from "./helpers.ts";
import { hist } from "../../bench/apps/hist/app.ts";

describeApp(hist);
