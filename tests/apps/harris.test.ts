import { describeApp } from "./helpers.ts";
import { harris } from "../../bench/apps/harris/app.ts";

describeApp(harris);
