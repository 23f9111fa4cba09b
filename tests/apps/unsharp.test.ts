import { describeApp } from "./helpers.ts";
import { unsharp } from "../../bench/apps/unsharp/app.ts";

describeApp(unsharp);
