//! The direct path: a user's request to a *plain* station (a service or external dependency with
//! no calls, holding its slot to the end) in a scenario without regions. It is the whole of an
//! M/M/c model and the leaf of most architectures, and it is the engine's hottest path.
//!
//! What the general path does through six functions (`send_request`, `arrive`, `finish`,
//! `release_slot`, `answer`, `answer_user`), each asking again what kind the component is, who
//! the caller is and how far the answer travels, is done here in two, because those answers are
//! known when the run is built: the kind is plain, the caller the user, and without regions
//! nothing is far. The effects are the general path's, in the same order, so every report is the
//! same to the byte (compared on every example when this path was introduced); anything that is
//! not this case (a refusal, an error rate, a kind with behaviour) takes the general path.
//! Measured by callgrind in docs/benchmarks.md ("The direct path").

use super::SimError;
use super::event_queue::EventKind;
use super::ids::{JobId, WorkloadId};
use super::run::{Caller, Job, Run, Stage};

impl Run<'_> {
    /// [`Run::send_request`] and [`Run::arrive`] for a workload whose entry is direct
    /// ([`super::run::ServiceState::direct`]).
    #[inline(always)]
    pub(super) fn send_direct(&mut self, workload: WorkloadId) -> Result<(), SimError> {
        self.check_in_flight()?;
        self.in_flight += 1;
        let (now, measuring) = (self.now, self.measuring);
        let w = &mut self.workloads[workload];
        if measuring {
            w.requests += 1;
        }
        let op = w.pick_op();
        if measuring {
            self.traffic.internet_in += w.request_size;
        }
        let entry = w.entry;
        let instance = self.pick_instance(entry);
        let job = self.new_job(Job::visit(entry, instance, workload, op, now, measuring));
        // Arrives at once (nothing is far). A plain station refuses only when its instance is
        // down or its queue full; the general path says so and ends the job.
        let s = &mut self.services[entry];
        let inst = &mut self.instances[instance];
        if measuring {
            s.stats.arrivals += 1;
        }
        if !inst.up() {
            self.refuse(job);
        } else if inst.busy < s.capacity {
            s.in_system.up(now);
            self.start_direct(job);
        } else if inst.queue.len() < s.queue_limit {
            s.in_system.up(now);
            inst.queue.push_back(job);
            self.jobs[job].stage = Stage::Queued;
        } else {
            self.refuse(job);
        }
        Ok(())
    }

    /// [`Run::finish`] of a successful visit at a direct station
    /// ([`super::run::ServiceState::direct`]), when the caller is the user: the slot goes to the
    /// next in the queue, and the answer is at the user at once.
    #[inline(always)]
    pub(super) fn finish_direct(&mut self, job: JobId) {
        let now = self.now;
        let j = self.jobs[job];
        debug_assert!(j.stage == Stage::InService && j.caller == Caller::User && j.key.is_none());
        self.vacate_slot(&j);
        if let Some(next) = self.instances[j.instance].queue.pop_front() {
            self.start_direct(next);
        }
        let s = &mut self.services[j.component];
        s.in_system.down(now);
        if j.measured {
            s.stats.completed += 1;
            s.stats.sojourn_sum_ns += (now - j.arrived) as u128;
        }
        self.request_done(job, true);
    }

    /// [`Run::start_work`] at a direct station: the slot taken, the service time drawn. Written
    /// out rather than sharing a slot-taking helper with `start_work`: as a shared inline
    /// function it cost M/M/4 about 2.5 % more instructions (callgrind, 214.7 -> 220.0 M), though
    /// the lines were the same.
    #[inline(always)]
    fn start_direct(&mut self, job: JobId) {
        let now = self.now;
        let j = &self.jobs[job];
        let s = &mut self.services[j.component];
        s.busy.up(now);
        let inst = &mut self.instances[j.instance];
        inst.busy += 1;
        let pos = inst.active.len() as u32;
        inst.active.push(job);
        if j.measured {
            s.stats.queue_wait.record(now - j.arrived);
        }
        let work = s.service_time.sample(&mut s.work_rng) + s.extra_latency;
        let j = &mut self.jobs[job];
        j.stage = Stage::InService;
        j.active_pos = pos;
        self.queue.schedule(
            now + work,
            EventKind::WorkDone {
                job,
                generation: j.generation,
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::run::Run;

    /// The report of `yaml`, run with the direct path where it applies, or with it turned off
    /// everywhere (the general path alone). Also says whether any workload was direct.
    fn report(yaml: &str, direct: bool) -> (String, bool) {
        let loaded = crate::load(yaml.as_bytes()).expect("a valid scenario");
        let s = &loaded.scenario;
        let mut used = false;
        let reps: Vec<_> = (0..s.replications)
            .map(|r| {
                let mut run = Run::new(s, r);
                used |= run.workloads.iter().any(|w| run.services[w.entry].direct);
                if !direct {
                    run.services.iter_mut().for_each(|c| c.direct = false);
                }
                run.run_to_end().expect("runs")
            })
            .collect();
        (crate::report_json(&crate::report::build(s, &reps)), used)
    }

    fn same_either_way(yaml: &str) {
        let (general, _) = report(yaml, false);
        let (direct, used) = report(yaml, true);
        assert!(used, "the direct path applies to this scenario");
        assert_eq!(general, direct, "the direct path changed the report");
    }

    /// Refusals at a full queue, a warm-up, a latency fault, a crash of one of two replicas (its
    /// jobs lost) and then, for 5 s, of both (requests refused at a dead instance), two
    /// replications: every figure as the general path gives it.
    #[test]
    fn an_open_workload_at_a_plain_service_reports_as_the_general_path() {
        same_either_way(
            "version: 1\nname: t\nseed: 3\nwarmup: 5s\nduration: 60s\nreplications: 2\n\
             components:\n  api:\n    kind: service\n    replicas: 2\n    concurrency: 2\n    \
             queue_limit: 3\n    service_time: { exponential: 10ms }\n\
             workloads:\n  - { name: users, entry: api, arrivals: { poisson: 390/s } }\n\
             faults:\n  - { at: 20s, duration: 10s, latency: { component: api, add: 5ms } }\n  \
             - { at: 40s, instance_crash: { component: api } }\n  \
             - { at: 50s, duration: 5s, instance_crash: { component: api } }\n",
        );
    }

    /// An external dependency with an error rate (failed visits take the general path) and a
    /// closed workload (users sending again after thinking).
    #[test]
    fn errors_and_a_closed_workload_report_as_the_general_path() {
        same_either_way(
            "version: 1\nname: t\nseed: 5\nduration: 60s\n\
             components:\n  app:\n    kind: external\n    \
             error_rate: 2%\n    latency: { lognormal: { median: 20ms, p99: 80ms } }\n\
             workloads:\n  - name: terminals\n    entry: app\n    users: 40\n    \
             think_time: { exponential: 300ms }\n  \
             - { name: batch, entry: app, arrivals: { poisson: 20/s } }\n",
        );
    }
}
