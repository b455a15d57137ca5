//! Which shard this process runs: `--shard I/N` (1-based, as Playwright, Jest and node's test
//! runner spell it), or `--shard auto`, read from the variables a batch engine sets for each task
//! of an array: Slurm (`SLURM_ARRAY_TASK_ID`, `_MIN`, `_STEP`, `_COUNT`), Kubernetes Indexed Jobs
//! (`JOB_COMPLETION_INDEX`) and AWS Batch array jobs (`AWS_BATCH_JOB_ARRAY_INDEX`); where the
//! engine does not give the count, `--shard-count` or `ARCHSIM_SHARD_COUNT` does.

use serde::{Deserialize, Serialize};

/// Shard `index` of `count`, 1-based.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    /// 1 to `count`.
    pub index: u32,
    /// Shards in all.
    pub count: u32,
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// The most shards a command is cut into.
pub const MAX_SHARDS: u32 = 100_000;

/// Reads `I/N`.
pub fn parse(text: &str) -> Result<Shard, String> {
    let bad = || {
        format!(
            "`--shard {text}` is not a shard; expected I/N with 1 <= I <= N (such as 2/8), or `auto`"
        )
    };
    let (i, n) = text.split_once('/').ok_or_else(bad)?;
    let index: u32 = i.trim().parse().map_err(|_| bad())?;
    let count: u32 = n.trim().parse().map_err(|_| bad())?;
    checked(index, count).map_err(|e| format!("`--shard {text}`: {e}"))
}

fn checked(index: u32, count: u32) -> Result<Shard, String> {
    if count == 0 || count > MAX_SHARDS {
        return Err(format!(
            "the shard count must be 1 to {MAX_SHARDS}, not {count}"
        ));
    }
    if index == 0 || index > count {
        return Err(format!(
            "shard {index} of {count} does not exist; shards are numbered 1 to {count}"
        ));
    }
    Ok(Shard { index, count })
}

/// The shard a batch engine's variables name. `var` reads one variable; `count` is
/// `--shard-count` if given.
pub fn from_env(var: impl Fn(&str) -> Option<String>, count: Option<u32>) -> Result<Shard, String> {
    let count = match count {
        Some(n) => Some(n),
        None => match var("ARCHSIM_SHARD_COUNT") {
            Some(t) => Some(number("ARCHSIM_SHARD_COUNT", &t)?),
            None => None,
        },
    };
    let engines: Vec<&str> = [
        "SLURM_ARRAY_TASK_ID",
        "JOB_COMPLETION_INDEX",
        "AWS_BATCH_JOB_ARRAY_INDEX",
    ]
    .into_iter()
    .filter(|v| var(v).is_some())
    .collect();
    match engines.as_slice() {
        [] => Err("`--shard auto` found no batch engine's task index: none of SLURM_ARRAY_TASK_ID (Slurm job arrays), JOB_COMPLETION_INDEX (Kubernetes Indexed Jobs) or AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch array jobs) is set; pass --shard I/N".into()),
        ["SLURM_ARRAY_TASK_ID"] => slurm(&var, count),
        [one] => {
            let index = number(one, &var(one).unwrap_or_default())?;
            let Some(n) = count else {
                return Err(format!(
                    "{one} is {index} but the shard count is unknown; pass --shard-count N or set ARCHSIM_SHARD_COUNT"
                ));
            };
            checked(index.saturating_add(1), n)
                .map_err(|e| format!("{one}={index} (0-based) with {n} shards: {e}"))
        }
        several => Err(format!(
            "`--shard auto` found the task indexes of several batch engines ({}); pass --shard I/N",
            several.join(", ")
        )),
    }
}

fn slurm(var: &impl Fn(&str) -> Option<String>, count: Option<u32>) -> Result<Shard, String> {
    let get = |name: &str| -> Result<Option<u32>, String> {
        var(name).map(|t| number(name, &t)).transpose()
    };
    let id = get("SLURM_ARRAY_TASK_ID")?.unwrap_or(0);
    let Some(min) = get("SLURM_ARRAY_TASK_MIN")? else {
        return Err("SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_MIN is not; run inside a job array (sbatch --array)".into());
    };
    let step = get("SLURM_ARRAY_TASK_STEP")?.unwrap_or(1).max(1);
    let slurm_count = get("SLURM_ARRAY_TASK_COUNT")?;
    let n = match (slurm_count, count) {
        (Some(a), Some(b)) if a != b => {
            return Err(format!(
                "SLURM_ARRAY_TASK_COUNT is {a} but the shard count given is {b}; they must agree"
            ));
        }
        (Some(a), _) | (None, Some(a)) => a,
        (None, None) => {
            return Err("SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not; pass --shard-count N".into());
        }
    };
    if id < min || (id - min) % step != 0 {
        return Err(format!(
            "SLURM_ARRAY_TASK_ID={id} is not a task of the array from {min} in steps of {step}"
        ));
    }
    let index = (id - min) / step + 1;
    checked(index, n).map_err(|e| {
        format!("SLURM_ARRAY_TASK_ID={id} (array from {min}, step {step}, {n} tasks): {e}")
    })
}

fn number(name: &str, text: &str) -> Result<u32, String> {
    text.trim()
        .parse()
        .map_err(|_| format!("{name}={text:?} is not a whole number"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let m: BTreeMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| m.get(k).cloned()
    }

    #[test]
    fn parses_one_based_shards() {
        assert_eq!(parse("2/8"), Ok(Shard { index: 2, count: 8 }));
        assert_eq!(parse("1/1"), Ok(Shard { index: 1, count: 1 }));
        for bad in ["0/4", "5/4", "1/0", "2", "a/b", "-1/3", "1/2/3"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn reads_each_engines_variables() {
        let slurm = env(&[
            ("SLURM_ARRAY_TASK_ID", "7"),
            ("SLURM_ARRAY_TASK_MIN", "4"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
        ]);
        assert_eq!(from_env(&slurm, None), Ok(Shard { index: 4, count: 4 }));
        assert!(
            from_env(&slurm, Some(5))
                .unwrap_err()
                .contains("must agree")
        );
        let stepped = env(&[
            ("SLURM_ARRAY_TASK_ID", "4"),
            ("SLURM_ARRAY_TASK_MIN", "0"),
            ("SLURM_ARRAY_TASK_STEP", "2"),
            ("SLURM_ARRAY_TASK_COUNT", "3"),
        ]);
        assert_eq!(from_env(&stepped, None), Ok(Shard { index: 3, count: 3 }));
        let k8s = env(&[("JOB_COMPLETION_INDEX", "0"), ("ARCHSIM_SHARD_COUNT", "3")]);
        assert_eq!(from_env(&k8s, None), Ok(Shard { index: 1, count: 3 }));
        assert_eq!(from_env(&k8s, Some(2)), Ok(Shard { index: 1, count: 2 }));
        let aws = env(&[("AWS_BATCH_JOB_ARRAY_INDEX", "2")]);
        assert!(from_env(&aws, None).unwrap_err().contains("--shard-count"));
        assert_eq!(from_env(&aws, Some(3)), Ok(Shard { index: 3, count: 3 }));
        assert!(
            from_env(&aws, Some(2)).is_err(),
            "index 2 of 2 shards (0-based) does not exist"
        );
    }

    #[test]
    fn refuses_what_does_not_add_up() {
        assert!(
            from_env(env(&[]), Some(3))
                .unwrap_err()
                .contains("no batch engine")
        );
        let both = env(&[
            ("JOB_COMPLETION_INDEX", "0"),
            ("AWS_BATCH_JOB_ARRAY_INDEX", "0"),
        ]);
        assert!(from_env(&both, Some(2)).unwrap_err().contains("several"));
        let no_min = env(&[
            ("SLURM_ARRAY_TASK_ID", "1"),
            ("SLURM_ARRAY_TASK_COUNT", "2"),
        ]);
        assert!(from_env(&no_min, None).unwrap_err().contains("MIN"));
        let off = env(&[
            ("SLURM_ARRAY_TASK_ID", "3"),
            ("SLURM_ARRAY_TASK_MIN", "0"),
            ("SLURM_ARRAY_TASK_STEP", "2"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
        ]);
        assert!(from_env(&off, None).is_err());
        let junk = env(&[("JOB_COMPLETION_INDEX", "x1")]);
        assert!(
            from_env(&junk, Some(2))
                .unwrap_err()
                .contains("not a whole number")
        );
    }
}
