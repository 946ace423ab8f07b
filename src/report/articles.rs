//! The articles of the Regulation a finding can cite, each with its key
//! phrase in Chinese (from the text of Decree No. 809) and its gist in
//! English, for the report's findings by article.

/// One article: its number, the key phrase of its text, and its gist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Article {
    /// The article's number, such as `13`.
    pub number: u8,
    /// The key phrase of the article in Chinese.
    pub zh: &'static str,
    /// The gist of the article in English.
    pub en: &'static str,
}

/// The articles, in number order.
pub const ARTICLES: &[Article] = &[
    Article {
        number: 2,
        zh: "政府部门和法律、法规授权的具有管理公共事务职能的组织（以下统称政府部门）之间共享政务数据，适用本条例。",
        en: "The Regulation governs sharing between government departments, including organisations authorised by law to manage public affairs.",
    },
    Article {
        number: 3,
        zh: "政务数据……不包括属于国家秘密、工作秘密的数据。",
        en: "Government data excludes state secrets and work secrets.",
    },
    Article {
        number: 8,
        zh: "国务院政务数据共享主管部门负责全国政务数据共享工作；县级以上地方人民政府政务数据共享主管部门负责本行政区域政务数据共享工作。",
        en: "Competent authorities lead sharing nationally and at each level of local government.",
    },
    Article {
        number: 13,
        zh: "编制政务数据目录前应当开展保密风险、个人信息保护影响等评估，经部门负责人审核同意；目录应当包括数据目录名称、数据项、提供单位、数据格式、数据更新频率以及共享属性、共享方式、使用条件、数据分类分级等。",
        en: "Before cataloguing, assess confidentiality and personal-information impact and obtain the department head's approval; an entry states its name, items, provider, format, update frequency, sharing class and method, conditions of use, and classification and grade.",
    },
    Article {
        number: 14,
        zh: "政务数据分为无条件共享、有条件共享、不予共享三类；法律、行政法规以及国务院决定明确规定不能提供给其他政府部门共享使用的，为不予共享。",
        en: "Data is shared unconditionally, conditionally, or not at all — the last only where a law, administrative regulation or State Council decision expressly forbids it.",
    },
    Article {
        number: 15,
        zh: "不得通过擅自增设条件等方式阻碍、影响政务数据共享；有条件共享应当列明共享范围、使用用途等共享使用条件，不予共享应当列明理由及法律、行政法规以及国务院决定依据。",
        en: "No unauthorised extra conditions; a conditional entry lists its scope and permitted uses, a not-shared entry its reason and legal basis.",
    },
    Article {
        number: 16,
        zh: "政务数据目录经同级政务数据共享主管部门审核后统一发布；政府部门对照统一发布的政务数据目录开展共享。",
        en: "The authority reviews and publishes the catalog; sharing happens against the published catalog.",
    },
    Article {
        number: 17,
        zh: "法律、行政法规、国务院决定或者部门职责发生变化的，应当在十个工作日内更新政务数据目录。",
        en: "Update the catalog within 10 working days of a change in law or duties.",
    },
    Article {
        number: 19,
        zh: "通过共享获取政务数据能够满足履行职责需要的，政府部门不得向公民、法人和其他组织重复收集。",
        en: "Do not collect again from citizens and organisations what sharing can supply; the authority names the source department.",
    },
    Article {
        number: 20,
        zh: "需求部门应当对照目录提出共享申请，列明使用依据、使用场景、使用范围、共享方式、使用时限等，并对真实性、合法性和必要性负责。",
        en: "Apply against the catalog, stating the legal basis, scenario, scope, method and period of use, and vouch for authenticity, legality and necessity.",
    },
    Article {
        number: 21,
        zh: "无条件共享的应当在一个工作日内答复，有条件共享的应当在十个工作日内答复；材料不全的应当一次性告知，不得直接予以拒绝；不同意共享的应当说明理由。",
        en: "Reply within 1 working day (unconditional) or 10 (conditional); list all missing materials at once; a refusal gives reasons.",
    },
    Article {
        number: 22,
        zh: "提供部门应当在同意共享之日起二十个工作日内，通过服务接口、批量交换、文件下载等方式提供数据。",
        en: "Deliver within 20 working days of approval, through a service interface, bulk exchange, file download or other method.",
    },
    Article {
        number: 24,
        zh: "上级政府部门应当及时、完整回流下级政府需要的政务数据，不得设置额外的限制条件。",
        en: "Upper-level departments return data about a lower government's territory promptly and completely, without extra conditions.",
    },
    Article {
        number: 25,
        zh: "不得擅自扩大使用范围以及用于或者变相用于其他目的，不得擅自将获得的政务数据提供给第三方。",
        en: "No widening of scope, no use for other purposes, no passing to third parties without the provider's consent.",
    },
    Article {
        number: 26,
        zh: "需求部门应当记录数据使用状态，发现数据不准确、不完整的，提出校核申请。",
        en: "Record the data's use status and request correction of inaccurate or incomplete data.",
    },
    Article {
        number: 27,
        zh: "共享目的已实现、无法实现或者为实现共享目的不再必要的，应当按照政务数据提供部门的要求妥善处置；超范围使用的，应当暂停其政务数据共享权限。",
        en: "When the purpose is achieved, unachievable or no longer needs the data, dispose of it as the provider requires; misuse suspends the sharing permission.",
    },
    Article {
        number: 29,
        zh: "需求部门应当记录使用场景、使用过程、应用成效、存储情况、销毁情况，保存不少于三年。",
        en: "Record the use scenario, process, results, storage and destruction, and keep the record at least three years.",
    },
    Article {
        number: 36,
        zh: "委托他人建设、运行、维护系统或者存储、加工数据的，受托方不得擅自访问、获取、留存、使用、泄露或者向他人提供政务数据。",
        en: "Contractors may not access, retain, use, leak or pass on government data beyond their entrustment.",
    },
    Article {
        number: 39,
        zh: "提供部门未按照规定编制、更新目录，擅自增设条件，未按照规定时限答复或者提供数据，未回流数据等的，由主管部门责令改正。",
        en: "Provider liability: catalog not kept, extra conditions, late reply or delivery, no backflow — the authority orders correction.",
    },
    Article {
        number: 40,
        zh: "需求部门重复收集，超范围使用，擅自提供给第三方，未按照规定处置数据或者未记录使用情况等的，由主管部门责令改正。",
        en: "Requester liability: collecting again, use beyond scope, third-party transfer, no disposal, no records — the authority orders correction.",
    },
];

/// The article of this number, if the table holds it.
pub fn article(number: u8) -> Option<&'static Article> {
    ARTICLES.iter().find(|a| a.number == number)
}

/// The article number a citation names: `40(4)` → 40.
///
/// # Example
///
/// ```
/// use govshare::report::{article, article_number};
///
/// assert_eq!(article_number("40(4)"), Some(40));
/// assert!(article(14).is_some_and(|a| a.zh.contains("不予共享")));
/// ```
pub fn article_number(citation: &str) -> Option<u8> {
    let digits: String = citation.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_article_a_finding_code_cites_has_its_text() {
        let cited = crate::lifecycle::CATALOG_CODES
            .iter()
            .flat_map(|(_, _, arts)| arts.split(','))
            .chain(["20", "21", "22", "25", "39(4)"]);
        for citation in cited {
            let n = article_number(citation).unwrap();
            assert!(article(n).is_some(), "article {n} ({citation}) has no text");
        }
        assert_eq!(article_number("40(4)"), Some(40));
        assert!(ARTICLES.windows(2).all(|w| w[0].number < w[1].number));
    }
}
