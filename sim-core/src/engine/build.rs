//! Building a run from a scenario: instances placed, each component's state and streams, each
//! workload's, and the first events scheduled.

use super::autoscale_state::AutoscaleRt;
use super::call_state::{StepRt, compile_steps};
use super::event_queue::{EventKind, EventQueue};
use super::ids::{ComponentId, InstanceId, OpId, WorkloadId};
use super::kind_state::KindRt;
use super::result::Traffic;
use super::run::{
    ComponentStats, Instance, Provision, Readings, Run, ServiceState, WindowStats, WorkloadState,
};
use crate::rng::Stream;
use crate::scenario::topology::Place;
use crate::scenario::{Component, ComponentKind, Scenario, Workload, WorkloadKind};
use crate::stats::histogram::DurationHistogram;
use crate::stats::integral::Integral;
use crate::stats::timeseries::{self, TimeSeries};

impl<'s> Run<'s> {
    /// Sets up replication `replication` (0-based) of `scenario`.
    pub fn new(scenario: &'s Scenario, replication: u32) -> Run<'s> {
        let stream =
            |owner: &str, purpose: &str| Stream::new(scenario.seed, replication, owner, purpose);
        let mut instances = Vec::new();
        let mut calls = Vec::new();
        let mut services = Vec::new();
        for (ci, c) in scenario.components.iter().enumerate() {
            let first = InstanceId::new(instances.len());
            instances.extend(instances_of(c, ComponentId::new(ci)));
            let steps = compile_steps(scenario, &c.station.steps, &mut calls);
            let kind = KindRt::new(scenario, ci, first, &mut calls, stream(&c.name, "kind"));
            services.push(service_state(c, first, steps, kind, &stream));
        }
        for (ci, c) in scenario.components.iter().enumerate() {
            if let ComponentKind::Queue(q) = &c.kind {
                services[q.consumers].consumer_of = Some(ComponentId::new(ci));
            }
        }
        let flat = scenario.regions.is_empty();
        for s in &mut services {
            s.direct = flat && matches!(s.kind, KindRt::Plain) && s.steps.is_empty() && !s.io_async;
        }
        let workloads = scenario
            .workloads
            .iter()
            .map(|w| workload_state(w, &stream))
            .collect();
        let end = scenario.warmup + scenario.duration;
        let regions = scenario.regions.len();
        let window = timeseries::window_for(end);
        let windows = end.div_ceil(window) as usize;
        let mut run = Run {
            scenario,
            now: 0,
            end,
            measuring: scenario.warmup == 0,
            queue: EventQueue::with_capacity(1024),
            jobs: Vec::with_capacity(1024),
            free_jobs: Vec::with_capacity(1024),
            links: Vec::with_capacity(1024),
            free_links: Vec::with_capacity(1024),
            calls,
            services,
            instances,
            workloads,
            partitions: vec![0; regions * regions],
            region_down: vec![0; regions],
            nat_down: vec![0; regions],
            fault_instances: vec![Vec::new(); scenario.faults.len()],
            scratch: Vec::with_capacity(16),
            series: TimeSeries {
                window,
                workloads: Vec::with_capacity(windows),
                components: Vec::with_capacity(windows),
            },
            traffic: Traffic {
                inter_region: vec![0.0; scenario.network.links.len()],
                ..Default::default()
            },
            events: 0,
            in_flight: 0,
            finished: false,
        };
        run.start();
        run
    }

    pub(super) fn start(&mut self) {
        if self.scenario.warmup > 0 {
            self.queue
                .schedule(self.scenario.warmup, EventKind::WarmupEnd);
        }
        self.queue.schedule(self.end, EventKind::End);
        if self.series.window < self.end {
            self.queue.schedule(self.series.window, EventKind::Window);
        }
        for (i, f) in self.scenario.faults.iter().enumerate() {
            if f.at < self.end {
                self.queue.schedule(
                    f.at,
                    EventKind::Fault {
                        index: i as u32,
                        start: true,
                    },
                );
            }
            if let Some(e) = f.end().filter(|&e| e < self.end) {
                self.queue.schedule(
                    e,
                    EventKind::Fault {
                        index: i as u32,
                        start: false,
                    },
                );
            }
        }
        self.schedule_random_failures();
        for c in (0..self.services.len()).map(ComponentId::new) {
            match &self.services[c].kind {
                KindRt::Balancer(b) => {
                    if b.check.is_some() {
                        self.queue
                            .schedule(0, EventKind::HealthCheck { component: c });
                    }
                }
                KindRt::Database(_) => self.take_backup(c),
                KindRt::Plain
                | KindRt::Cache(_)
                | KindRt::Broker(_)
                | KindRt::Function(_)
                | KindRt::ObjectStore(_) => {}
            }
            if let Some(a) = &self.services[c].autoscale {
                self.queue
                    .schedule(a.cfg.interval, EventKind::Autoscale { component: c });
            }
        }
        for w in (0..self.workloads.len()).map(WorkloadId::new) {
            if self.workloads[w].arrivals.is_some() {
                self.reschedule_arrival(w);
            } else {
                let wl = &mut self.workloads[w];
                if let Some(think) = &wl.think_time {
                    // Every user starts with a think, so users do not all fire at time zero.
                    for _ in 0..wl.users {
                        let t = think.sample(&mut wl.think_rng);
                        self.queue.schedule(t, EventKind::ThinkDone { workload: w });
                    }
                }
            }
        }
    }
}

/// The instances of component `ci`, placed: a database's nodes where each is, others spread over
/// the component's zones in turn. An autoscaled service gets room for `max` instances; those past
/// `replicas` start unprovisioned.
fn instances_of(c: &Component, ci: ComponentId) -> impl Iterator<Item = Instance> + '_ {
    let replicas = c.station.replicas;
    let slots = c.autoscale.map_or(replicas, |a| a.max.max(replicas));
    (0..slots as usize).map(move |i| {
        let place = match &c.kind {
            ComponentKind::Database(db) => Place {
                region: db.nodes[i].region.map(|r| r as u16),
                zone: db.nodes[i].zone.map(|z| z as u16),
            },
            ComponentKind::Service
            | ComponentKind::External
            | ComponentKind::LoadBalancer(_)
            | ComponentKind::Dns(_)
            | ComponentKind::Cache(_)
            | ComponentKind::Queue(_)
            | ComponentKind::Function(_)
            | ComponentKind::ObjectStore(_) => Place {
                region: c.region.map(|r| r as u16),
                zone: (!c.zones.is_empty()).then(|| c.zones[i % c.zones.len()] as u16),
            },
        };
        Instance {
            component: ci,
            place,
            busy: 0,
            queue: Default::default(),
            active: Vec::new(),
            outages: 0,
            crashed: 0,
            draining: false,
            provision: if i < replicas as usize {
                Provision::Ready
            } else {
                Provision::Off
            },
        }
    })
}

/// A component's run-time state at the start, its instances from `first` on.
fn service_state(
    c: &Component,
    first: InstanceId,
    steps: Box<[StepRt]>,
    kind: KindRt,
    stream: &impl Fn(&str, &str) -> Stream,
) -> ServiceState {
    let s = &c.station;
    ServiceState {
        first_instance: first,
        instances: c.autoscale.map_or(s.replicas, |a| a.max.max(s.replicas)),
        capacity: s.concurrency.unwrap_or(u32::MAX),
        queue_limit: s.queue_limit.map_or(usize::MAX, |q| q as usize),
        service_time: s.service_time.clone(),
        steps,
        balance: s.balance,
        io_async: s.io_async,
        direct: false,
        error_rate: s.error_rate,
        fault_error_rate: 0.0,
        extra_latency: 0,
        failures: c.failures,
        rr_next: 0,
        work_rng: stream(&c.name, "service_time"),
        balance_rng: stream(&c.name, "balance"),
        error_rng: stream(&c.name, "errors"),
        call_rng: stream(&c.name, "calls"),
        retry_rng: stream(&c.name, "retry"),
        failure_rng: stream(&c.name, "failures"),
        busy: Integral::default(),
        in_system: Integral::default(),
        provisioned: Integral::starting_at(s.replicas as u64),
        serving: Integral::starting_at(s.replicas as u64),
        window_from: Readings::default(),
        measured_from: Readings::default(),
        stats: ComponentStats::default(),
        window: WindowStats::default(),
        kind,
        external: matches!(c.kind, ComponentKind::External),
        consumer_of: None,
        autoscale: c.autoscale.map(|a| AutoscaleRt::new(a, s.replicas)),
    }
}

/// A workload's run-time state at the start.
fn workload_state(w: &Workload, stream: &impl Fn(&str, &str) -> Stream) -> WorkloadState {
    let (arrivals, think_time, users) = match &w.kind {
        WorkloadKind::Open(a) => (Some(*a), None, 0),
        WorkloadKind::Closed { users, think_time } => (None, Some(think_time.clone()), *users),
    };
    WorkloadState {
        entry: ComponentId::new(w.entry),
        request_size: w.request_size,
        response_size: w.response_size,
        place: Place {
            region: w.region.map(|r| r as u16),
            zone: None,
        },
        arrivals,
        profile: w.profile,
        spike: 1.0,
        rate: 0.0,
        gap_ns: 0.0,
        arrival_gen: 0,
        think_time,
        users,
        ops: w.ops.iter().map(|&(o, p)| (OpId::new(o), p)).collect(),
        arrival_rng: stream(&w.name, "arrivals"),
        think_rng: stream(&w.name, "think_time"),
        op_rng: stream(&w.name, "ops"),
        requests: 0,
        completed: 0,
        failed: 0,
        latency: DurationHistogram::default(),
        window_completed: 0,
        window_failed: 0,
        window_latency: DurationHistogram::default(),
    }
}
