//! Contractor entries against the Regulation (Art. 3, 14, 36): what
//! `check` reports about the companies departments entrust with their
//! data.
//!
//! - `CONTRACTOR-NO-SECURITY-AGREEMENT`: no data-security agreement is
//!   signed under the contract; the contractor processes nothing.
//! - `CONTRACTOR-SECRET-DATA`: entrusted with data marked a state or work
//!   secret, which is not government data under the Regulation.
//! - `CONTRACTOR-NOT-SHARED-DATA`: entrusted with a `not_shared` entry
//!   whose provider is not the entrusting department, which cannot hold
//!   that data through sharing; `CONTRACTOR-OWN-NOT-SHARED-DATA` (a
//!   warning) when it is its provider.
//! - `CONTRACTOR-BAD-USCC`: the unified social credit code is not 18
//!   characters of GB 32100-2015's set, or its check character is wrong.
//! - `CONTRACTOR-EMPTY-PERIOD`: the contract starts at or after its end.
//! - `CONTRACTOR-CONTRACT-ENDED` (at a time, [`CONTRACT_ENDED`]): the
//!   contract has ended but the entrustment was never ended, so the
//!   registry still shows the contractor entrusted with the datasets.

use chrono::{DateTime, FixedOffset};

use super::catalog::{Finding, Severity, Subject};
use crate::model::{Contractor, Sharing, uscc_problem};
use crate::registry::Registry;
use crate::time::format_rfc3339;

/// The finding code of a contract past its end whose entrustment was never
/// ended, which [`super::validate_at`] adds to [`super::validate`]'s.
pub const CONTRACT_ENDED: &str = "CONTRACTOR-CONTRACT-ENDED";

fn subject(c: &Contractor) -> Subject {
    Subject {
        kind: "contractor",
        id: c.id.to_string(),
    }
}

/// The findings about the registry's contractor entries that hold at any
/// time, in registry order.
pub(super) fn check_contractors(registry: &Registry, out: &mut Vec<Finding>) {
    for c in registry.contractors() {
        check_contractor(registry, c, out);
    }
}

fn check_contractor(registry: &Registry, c: &Contractor, out: &mut Vec<Finding>) {
    if let Some(problem) = uscc_problem(&c.uscc) {
        out.push(Finding::new(
            "CONTRACTOR-BAD-USCC",
            Severity::Error,
            &["36"],
            subject(c),
            format!(
                "受托方 {} 的统一社会信用代码 {} 不符合 GB 32100-2015：{}",
                c.name,
                c.uscc,
                problem_zh(&problem)
            ),
            format!(
                "the unified social credit code `{}` of `{}` does not hold (GB 32100-2015): {problem}",
                c.uscc.escape_default(),
                c.name
            ),
        ));
    }
    if c.contract.valid_from >= c.contract.valid_until {
        out.push(Finding::new(
            "CONTRACTOR-EMPTY-PERIOD",
            Severity::Error,
            &["36"],
            subject(c),
            format!(
                "委托合同 {} 的起始时间不早于截止时间，受托方在任何时间都无权处理数据",
                c.contract.id
            ),
            format!(
                "contract {} starts at or after its end: the contractor may process nothing at any time",
                c.contract.id
            ),
        ));
    }
    if !c.contract.security_agreement {
        out.push(Finding::new(
            "CONTRACTOR-NO-SECURITY-AGREEMENT",
            Severity::Error,
            &["36"],
            subject(c),
            format!(
                "委托合同 {} 未签订数据安全协议：委托处理政务数据应当明确数据安全要求并采取技术措施，受托方不得据此处理数据",
                c.contract.id
            ),
            format!(
                "no data-security agreement is signed under contract {}: an entrustment states the security requirements and technical measures, and the contractor processes nothing without them",
                c.contract.id
            ),
        ));
    }
    for id in &c.datasets {
        let Some(d) = registry.get_dataset(id) else {
            continue;
        };
        if let Some(kind) = d.secret {
            out.push(Finding::new(
                "CONTRACTOR-SECRET-DATA",
                Severity::Error,
                &["3", "36"],
                subject(c),
                format!(
                    "受托处理的数据集 {}（{}）标注为{}：不是政务数据，不得依照本条例委托处理",
                    d.id,
                    d.name,
                    kind.zh()
                ),
                format!(
                    "entrusted with `{}`, marked `{}`: not government data, and not entrusted under the Regulation",
                    d.id,
                    kind.as_str()
                ),
            ));
        }
        if let Sharing::NotShared { .. } = d.sharing {
            let own = d.provider == c.department;
            let (code, severity, zh, en) = if own {
                (
                    "CONTRACTOR-OWN-NOT-SHARED-DATA",
                    Severity::Warning,
                    "委托方是其提供部门：确认委托已履行审批程序、受托方仅为委托方存储或加工",
                    "the entrusting department is its provider: make sure the entrustment went through the approval procedure and the contractor stores or processes it for the department alone",
                )
            } else {
                (
                    "CONTRACTOR-NOT-SHARED-DATA",
                    Severity::Error,
                    "委托方不是其提供部门，不能通过共享取得该数据，也不得委托他人处理",
                    "the entrusting department is not its provider and cannot hold that data through sharing, nor entrust it to anyone",
                )
            };
            out.push(Finding::new(
                code,
                severity,
                &["14", "36"],
                subject(c),
                format!(
                    "受托处理的数据集 {}（{}）属于不予共享类；{zh}",
                    d.id, d.name
                ),
                format!("entrusted with `{}`, which is not_shared; {en}", d.id),
            ));
        }
    }
}

fn problem_zh(problem: &crate::model::UsccProblem) -> String {
    match problem {
        crate::model::UsccProblem::Length(n) => format!("长度为 {n} 位，应为 18 位"),
        crate::model::UsccProblem::Character {
            position,
            character,
        } => format!(
            "第 {position} 位字符 {} 不是数字或除 I、O、S、V、Z 以外的大写字母",
            character.escape_default()
        ),
        crate::model::UsccProblem::CheckCharacter { expected, found } => {
            format!("校验码为 {found}，按前 17 位计算应为 {expected}")
        }
    }
}

/// A `CONTRACTOR-CONTRACT-ENDED` finding for every contractor entry whose
/// contract has ended by `at` while its entrustment was never ended: the
/// registry still shows it entrusted with the datasets, and it still holds
/// the data, which it may not retain (Art. 36: 不得擅自留存).
pub(super) fn ended_contracts(registry: &Registry, at: &DateTime<FixedOffset>) -> Vec<Finding> {
    registry
        .contractors()
        .iter()
        .filter(|c| c.ended_at().is_none() && c.contract.valid_until <= *at)
        .map(|c| {
            let until = format_rfc3339(&c.contract.valid_until);
            let datasets: Vec<&str> = c.datasets.iter().map(|d| d.as_str()).collect();
            Finding::new(
                CONTRACT_ENDED,
                Severity::Error,
                &["27", "36"],
                subject(c),
                format!(
                    "委托合同 {} 已于 {until} 到期，委托仍登记在案（受托数据集 {}）：应当终止委托（entrustment_ended）并督促受托方处置其持有的数据，受托方不得擅自留存",
                    c.contract.id,
                    datasets.join("、")
                ),
                format!(
                    "contract {} ended at {until} but the entrustment is still on record (datasets {}): end it (`entrustment_ended`) and have the contractor dispose of the data it holds, which it may not retain",
                    c.contract.id,
                    datasets.join(", ")
                ),
            )
        })
        .collect()
}
