import { availableParallelism } from 'node:os';
import { familyTicks, machineTicks, readMemory, readProcessCpu, ticksToMs } from './proc';

/**
 * CPU time and peak memory of the processes a run involves, between `start()` and `stop()`:
 * each service process (by pid); the PostgreSQL backends serving the run's database (by pid,
 * from pg_stat_activity) apart from the rest of PostgreSQL (background processes, other
 * databases: the cluster is shared); nats-server; this process (the benchmark driver and the
 * local Anthropic server it hosts); and the machine as a whole. RSS is sampled every `sampleMs`.
 */

export interface ProcessUsage {
  name: string;
  cpuMs: number;
  /** False for what the run shares with the rest of the machine (counted apart). */
  ownedByRun: boolean;
  /** Largest RSS seen while sampling; null for process families. */
  peakRssMb: number | null;
}

export interface ResourceUsage {
  wallMs: number;
  processes: ProcessUsage[];
  /** Busy CPU of the whole machine over the window, in ms (all cores). */
  machineBusyMs: number;
  /** machineBusyMs / (wall × cores): 1 means every core was busy the whole time. */
  machineUtilisation: number;
}

export const driverName = 'bench driver + anthropic-local';
export const backendsName = "postgresql (this database's backends)";
export const restOfPostgresName = 'postgresql (background, other databases)';

export class ResourceMonitor {
  private startedAt = 0;
  private startTicks = new Map<string, number>();
  private peakRssKb = new Map<string, number>();
  private startMachine = { busy: 0, total: 0 };
  private startSelf: NodeJS.CpuUsage = { user: 0, system: 0 };
  private startBackends = new Map<number, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly services: Array<{ name: string; pid: number }>,
    /** The pids of the PostgreSQL backends connected to the run's database. */
    private readonly backendPids: () => Promise<number[]>,
    private readonly sampleMs = 100,
  ) {}

  async start(): Promise<void> {
    const backends = await this.backendPids();
    this.startedAt = performance.now();
    this.startSelf = process.cpuUsage();
    this.startMachine = machineTicks();
    for (const s of this.services) this.startTicks.set(s.name, readProcessCpu(s.pid)?.own ?? 0);
    for (const pid of backends) this.startBackends.set(pid, readProcessCpu(pid)?.own ?? 0);
    this.startTicks.set('postgres', familyTicks('postgres'));
    this.startTicks.set('nats-server', familyTicks('nats-server'));
    this.sample();
    this.timer = setInterval(() => this.sample(), this.sampleMs);
    this.timer.unref();
  }

  async stop(): Promise<ResourceUsage> {
    clearInterval(this.timer);
    this.sample();
    const wallMs = performance.now() - this.startedAt;
    const self = process.cpuUsage(this.startSelf);
    const machine = machineTicks();
    const postgres = familyTicks('postgres') - (this.startTicks.get('postgres') ?? 0);
    // Backends that were there at the start and are gone now are lost; pools keep theirs open.
    let backends = 0;
    for (const pid of new Set([...this.startBackends.keys(), ...(await this.backendPids().catch(() => []))])) {
      const now = readProcessCpu(pid)?.own;
      if (now !== undefined) backends += now - (this.startBackends.get(pid) ?? 0);
    }
    const cores = availableParallelism();
    const processes: ProcessUsage[] = [
      ...this.services.map((s) => ({
        name: s.name,
        cpuMs: ticksToMs((readProcessCpu(s.pid)?.own ?? 0) - (this.startTicks.get(s.name) ?? 0)),
        ownedByRun: true,
        peakRssMb: round((this.peakRssKb.get(s.name) ?? 0) / 1024, 1),
      })),
      { name: backendsName, cpuMs: ticksToMs(backends), ownedByRun: true, peakRssMb: null },
      { name: 'nats-server', cpuMs: ticksToMs(familyTicks('nats-server') - (this.startTicks.get('nats-server') ?? 0)), ownedByRun: true, peakRssMb: null },
      { name: driverName, cpuMs: (self.user + self.system) / 1000, ownedByRun: true, peakRssMb: round(process.memoryUsage.rss() / 1024 / 1024, 1) },
      { name: restOfPostgresName, cpuMs: ticksToMs(Math.max(0, postgres - backends)), ownedByRun: false, peakRssMb: null },
    ];
    const machineBusyMs = ticksToMs(machine.busy - this.startMachine.busy);
    return { wallMs, processes, machineBusyMs, machineUtilisation: round(machineBusyMs / (wallMs * cores), 3) };
  }

  private sample(): void {
    for (const s of this.services) {
      const rss = readMemory(s.pid)?.rssKb;
      if (rss !== undefined && rss > (this.peakRssKb.get(s.name) ?? 0)) this.peakRssKb.set(s.name, rss);
    }
  }
}

export const round = (value: number, digits = 0): number => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};
