//! A job's life at a station: it arrives at its instance, takes a slot or waits in the instance's
//! queue (or is refused), does its local work, goes on with its steps, releases its slot and is
//! answered back to its caller or user.

use super::event_queue::EventKind;
use super::ids::{ComponentId, InstanceId, JobId};
use super::kind_state::KindRt;
use super::run::{Caller, Job, Run, Stage};

impl Run<'_> {
    pub(super) fn new_job(&mut self, mut job: Job) -> JobId {
        match self.free_jobs.pop() {
            Some(i) => {
                job.generation = self.jobs[i].generation;
                self.jobs[i] = job;
                i
            }
            None => {
                self.jobs.push(job);
                JobId::new(self.jobs.len() - 1)
            }
        }
    }

    pub(super) fn free_job(&mut self, job: JobId) {
        let j = &mut self.jobs[job];
        j.generation = j.generation.wrapping_add(1);
        j.stage = Stage::Free;
        self.free_jobs.push(job);
    }

    /// A job reaches its instance: take a slot, wait in the instance's queue, or be rejected.
    pub(super) fn arrive(&mut self, job: JobId) {
        let j = self.jobs[job];
        let s = &mut self.services[j.component];
        if j.measured {
            s.stats.arrivals += 1;
        }
        self.jobs[job].arrived = if j.caller == Caller::User {
            j.arrived
        } else {
            self.now
        };
        let refused = self.quorum_refuses(job);
        let s = &mut self.services[j.component];
        let instance = &mut self.instances[j.instance];
        let throttled = refused
            || match &mut s.kind {
                KindRt::Balancer(b) => !b.admit(self.now, j.workload),
                KindRt::Plain
                | KindRt::Cache(_)
                | KindRt::Broker(_)
                | KindRt::Database(_)
                | KindRt::Function(_)
                | KindRt::ObjectStore(_) => false,
            };
        if !instance.up() || throttled {
            // Connection refused (or 429).
            self.refuse(job);
            return;
        }
        if instance.busy < s.capacity {
            s.in_system.up(self.now);
            self.start_work(job);
        } else if instance.queue.len() < s.queue_limit {
            s.in_system.up(self.now);
            instance.queue.push_back(job);
            self.jobs[job].stage = Stage::Queued;
        } else {
            self.refuse(job);
        }
    }

    /// The job is refused at its instance (down, throttled or its queue full): it fails at once,
    /// without being counted as present.
    pub(super) fn refuse(&mut self, job: JobId) {
        let j = &self.jobs[job];
        let s = &mut self.services[j.component];
        if j.measured {
            s.stats.rejected += 1;
        }
        s.window.rejected += 1;
        self.finish(job, false);
    }

    /// The slot of `j` (a job in service) is free again: counted idle, and off its instance's
    /// active list, where the last active job takes its place. Shared by [`Run::release_slot`]
    /// and the direct path.
    #[inline(always)]
    pub(super) fn vacate_slot(&mut self, j: &Job) {
        self.services[j.component].busy.down(self.now);
        let instance = &mut self.instances[j.instance];
        instance.busy -= 1;
        let pos = j.active_pos as usize;
        instance.active.swap_remove(pos);
        if let Some(&moved) = instance.active.get(pos) {
            self.jobs[moved].active_pos = pos as u32;
        }
    }

    /// The job takes a slot at its instance and starts its local work.
    pub(super) fn start_work(&mut self, job: JobId) {
        let j = self.jobs[job];
        let s = &mut self.services[j.component];
        s.busy.up(self.now);
        let instance = &mut self.instances[j.instance];
        instance.busy += 1;
        let pos = instance.active.len() as u32;
        instance.active.push(job);
        if j.measured {
            s.stats.queue_wait.record(self.now - self.jobs[job].arrived);
        }
        let measured = j.measured;
        let work = match &mut s.kind {
            KindRt::Function(f) => {
                f.start(self.now, measured) + s.service_time.sample(&mut s.work_rng)
            }
            KindRt::Database(_) => self.db_work(job),
            KindRt::ObjectStore(o) => o.work(j.op, measured),
            KindRt::Plain | KindRt::Balancer(_) | KindRt::Cache(_) | KindRt::Broker(_) => {
                s.service_time.sample(&mut s.work_rng)
            }
        } + self.services[j.component].extra_latency;
        let jm = &mut self.jobs[job];
        jm.stage = Stage::InService;
        jm.active_pos = pos;
        self.queue.schedule(
            self.now + work,
            EventKind::WorkDone {
                job,
                generation: jm.generation,
            },
        );
    }

    /// Local work is done: fail by the component's error rate, or go on with the steps.
    pub(super) fn work_done(&mut self, job: JobId) {
        let j = self.jobs[job];
        let s = &mut self.services[j.component];
        let rate = s.error_rate + s.fault_error_rate;
        if rate > 0.0 && s.error_rng.uniform() < rate {
            self.finish(job, false);
            return;
        }
        if s.direct && j.caller == Caller::User {
            self.finish_direct(job);
            return;
        }
        if s.io_async {
            self.release_slot(job);
        }
        self.jobs[job].step = 0;
        match &self.services[j.component].kind {
            KindRt::Balancer(b) => {
                let call = b.forward_call;
                self.forward(job, call);
            }
            KindRt::Cache(_) => {
                if self.cache_lookup(job) {
                    self.finish(job, true);
                } else {
                    self.run_steps(job);
                }
            }
            KindRt::Broker(_) => {
                let ok = self.enqueue(job);
                self.finish(job, ok);
                if ok {
                    self.dispatch(j.component);
                }
            }
            KindRt::Plain | KindRt::Database(_) | KindRt::Function(_) | KindRt::ObjectStore(_) => {
                // Without steps the visit is done (what `run_steps` would find, without the call).
                if self.services[j.component].steps.is_empty() {
                    self.finish(job, true)
                } else {
                    self.run_steps(job)
                }
            }
        }
    }

    /// Gives the job's slot back and starts the next waiting job of that instance.
    pub(super) fn release_slot(&mut self, job: JobId) {
        let j = self.jobs[job];
        if j.stage != Stage::InService {
            return;
        }
        self.vacate_slot(&j);
        self.jobs[job].stage = Stage::Released;
        if let KindRt::Function(f) = &mut self.services[j.component].kind {
            f.release(self.now);
        }
        if let Some(next) = self.instances[j.instance].queue.pop_front() {
            self.start_work(next);
        }
    }

    /// The job ends, well or not: its slot is released and its caller (or user) is answered.
    pub(super) fn finish(&mut self, job: JobId, ok: bool) {
        self.release_slot(job);
        if ok && let Some(key) = self.jobs[job].key {
            self.cache_fill(job, key);
        }
        let j = self.jobs[job];
        let s = &mut self.services[j.component];
        if j.stage.present() {
            s.in_system.down(self.now);
            if j.measured {
                if ok {
                    s.stats.completed += 1;
                    s.stats.sojourn_sum_ns += (self.now - j.arrived) as u128;
                } else {
                    s.stats.failed += 1;
                }
            }
        }
        if !ok {
            s.window.failed += 1;
        }
        self.answer(job, ok);
    }

    /// Sends the job's outcome back over the network and frees the job.
    pub(super) fn answer(&mut self, job: JobId, ok: bool) {
        match self.jobs[job].caller {
            Caller::Delivery {
                broker,
                delivery,
                generation,
            } => {
                self.free_job(job);
                self.consumed(broker, delivery, generation, ok);
            }
            Caller::Call { link, generation } => {
                let from = self.place_of(job);
                self.free_job(job);
                self.respond(link, generation, from, ok);
            }
            Caller::User => self.answer_user(job, ok),
        }
    }

    /// A root request's answer travels back to its user (the job lives until it is there).
    fn answer_user(&mut self, job: JobId, ok: bool) {
        let from = self.place_of(job);
        let j = &mut self.jobs[job];
        j.stage = Stage::Answered;
        let (workload, generation) = (j.workload, j.generation);
        let to = self.workloads[workload].place;
        match self.path(from, to) {
            Some(0) => self.request_done(job, ok),
            Some(d) => self.queue.schedule(
                self.now + d,
                EventKind::RequestDone {
                    job,
                    generation,
                    ok,
                },
            ),
            // The answer cannot get back: the user gives up at the connect timeout.
            None => {
                let t = self.now + self.scenario.network.connect_timeout;
                self.queue.schedule(
                    t,
                    EventKind::RequestDone {
                        job,
                        generation,
                        ok: false,
                    },
                )
            }
        }
    }

    /// A root request's answer reaches its user. Inline in its three callers (the event, an
    /// answer with no way to go, the direct path): a call here was one of the hot path's costs.
    #[inline(always)]
    pub(super) fn request_done(&mut self, job: JobId, ok: bool) {
        let j = self.jobs[job];
        self.free_job(job);
        self.in_flight -= 1;
        let w = &mut self.workloads[j.workload];
        if j.measured {
            self.traffic.internet_out += w.response_size;
        }
        if ok {
            let latency = self.now - j.arrived;
            w.window_completed += 1;
            w.window_latency.record(latency);
            if j.measured {
                w.completed += 1;
                w.latency.record(latency);
            }
        } else {
            w.window_failed += 1;
            if j.measured {
                w.failed += 1;
            }
        }
        if let Some(think) = &w.think_time {
            let t = think.sample(&mut w.think_rng);
            self.queue.schedule(
                self.now + t,
                EventKind::ThinkDone {
                    workload: j.workload,
                },
            );
        }
    }

    /// Ends every job at an instance that just went down: each fails, and callers are told.
    pub(super) fn lose_jobs(&mut self, instance: InstanceId) {
        let inst = &mut self.instances[instance];
        let mut lost: Vec<JobId> = inst.active.drain(..).collect();
        lost.extend(inst.queue.drain(..));
        let s = &mut self.services[inst.component];
        s.busy.set(s.busy.level() - inst.busy as u64, self.now);
        inst.busy = 0;
        for &job in &lost {
            let j = &mut self.jobs[job];
            // Answered (with a failure) just below.
            j.stage = Stage::Answered;
            s.in_system.down(self.now);
            if j.measured {
                s.stats.failed += 1;
            }
            s.window.failed += 1;
        }
        for job in lost {
            self.answer(job, false);
        }
    }

    /// Requests waiting for a slot at component `c` (for a queue: messages waiting).
    pub(super) fn queued(&self, c: ComponentId) -> u64 {
        let s = &self.services[c];
        match &s.kind {
            KindRt::Broker(q) => q.depth() as u64,
            KindRt::Plain
            | KindRt::Balancer(_)
            | KindRt::Cache(_)
            | KindRt::Database(_)
            | KindRt::Function(_)
            | KindRt::ObjectStore(_) => s
                .pool(&self.instances)
                .iter()
                .map(|i| i.queue.len() as u64)
                .sum(),
        }
    }
}
