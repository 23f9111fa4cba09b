import { describeApp } from "./helpers.ts";
import { blur } from "../../bench/apps/blur/app.ts";

describeApp(blur, ["strip", "inline"]);
