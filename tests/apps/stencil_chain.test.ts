import { describeApp } from "./helpers.ts";
import { stencilChain } from "../../bench/apps/stencil_chain/app.ts";

// 3 stencils: one sliding-window group of the hand schedule (the benchmark's 32 are blocked: see the app).
describeApp(stencilChain(3));
