//! The nesting depth of policy and schema text, counted before Cedar parses
//! it. Cedar's parser, and its conversion of what it parsed, recurse once
//! or more per level of nesting: a 2 KB file of 1,000 nested parentheses
//! overflows any thread's stack, and a stack overflow aborts the process
//! (it is not a panic that a boundary could catch). So the depth is
//! measured here, without recursion, and a file deeper than
//! [`MAX_POLICY_NESTING`](crate::limits::MAX_POLICY_NESTING) is refused
//! with the line where it went too deep.
//!
//! What is counted, for policy text, is an upper bound on the depth of the
//! expression Cedar builds: each bracketed group — `( )`, `[ ]`, `{ }`,
//! including calls and index accesses — is one level, and within a group
//! every operator (`&&`, `||`, comparisons, `+ - * / %`, `!`, `.`, `has`,
//! `like`, `is`, `in`) and every `if` adds one level over the deepest
//! group beside it: a chain `a && b && c` is as deep as it is long, because
//! Cedar evaluates it recursively. Commas and semicolons separate
//! expressions, which are not nested in one another. Strings and `//`
//! comments do not count. For a schema, the brackets `{ } [ ] ( ) < >`
//! count.

/// How deep a text went, and where it first went deeper than allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TooDeep {
    /// The 1-based line where the depth first exceeded the limit.
    pub line: usize,
    /// The depth reached there.
    pub depth: usize,
}

/// Whether a text is Cedar policies or a Cedar schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Syntax {
    Policies,
    Schema,
}

/// One open group.
#[derive(Debug, Clone, Copy)]
struct Group {
    /// The deepest finished expression of this group (between separators).
    best: usize,
    /// Operators so far in the current expression.
    ops: usize,
    /// The deepest closed group inside the current expression.
    child: usize,
    /// This group's depth so far, counting the group open inside it.
    depth: usize,
}

impl Group {
    const NEW: Group = Group {
        best: 0,
        ops: 0,
        child: 0,
        depth: 1,
    };

    fn depth_with(&self, open_child: usize) -> usize {
        1 + self
            .best
            .max(self.ops.saturating_add(self.child.max(open_child)))
    }
}

/// The depth of the whole text so far, kept up to date as groups open and
/// operators come, so the first line that goes too deep is the one named.
struct Depth {
    stack: Vec<Group>,
    max: usize,
}

impl Depth {
    /// Recomputes the depth from the innermost group outwards, stopping
    /// where nothing changes; fails when the whole text is too deep.
    fn update(&mut self, line: usize) -> Result<(), TooDeep> {
        let mut open_child = 0;
        let top = self.stack.len().saturating_sub(1);
        for (i, group) in self.stack.iter_mut().enumerate().rev() {
            let depth = group.depth_with(open_child);
            if depth == group.depth && i < top {
                break;
            }
            group.depth = depth;
            open_child = depth;
        }
        match self.stack.first() {
            Some(root) if root.depth > self.max => Err(TooDeep {
                line,
                depth: root.depth,
            }),
            _ => Ok(()),
        }
    }

    fn open(&mut self, line: usize) -> Result<(), TooDeep> {
        self.stack.push(Group::NEW);
        self.update(line)
    }

    fn close(&mut self) {
        // The whole text is the root group; a stray closer is Cedar's to
        // report.
        if self.stack.len() > 1
            && let Some(done) = self.stack.pop()
            && let Some(parent) = self.stack.last_mut()
        {
            parent.child = parent.child.max(done.depth_with(0));
        }
    }

    fn operator(&mut self, line: usize) -> Result<(), TooDeep> {
        if let Some(top) = self.stack.last_mut() {
            top.ops = top.ops.saturating_add(1);
        }
        self.update(line)
    }

    fn separator(&mut self) {
        if let Some(top) = self.stack.last_mut() {
            top.best = top.best.max(top.ops.saturating_add(top.child));
            top.ops = 0;
            top.child = 0;
        }
    }
}

/// Checks that `text` nests no deeper than `max` (see the module
/// documentation for what counts) and returns its depth. Runs in time
/// linear in the text, with no recursion.
pub(crate) fn check(text: &str, syntax: Syntax, max: usize) -> Result<usize, TooDeep> {
    let bytes = text.as_bytes();
    let mut depth = Depth {
        stack: vec![Group::NEW],
        max,
    };
    let mut line = 1usize;
    let mut i = 0usize;
    let at = |i: usize| bytes.get(i).copied();
    while let Some(b) = at(i) {
        let next = at(i + 1);
        i += 1;
        match b {
            b'\n' => line += 1,
            b'/' if next == Some(b'/') => {
                while at(i).is_some_and(|c| c != b'\n') {
                    i += 1;
                }
            }
            b'"' => {
                while let Some(c) = at(i) {
                    i += 1;
                    match c {
                        b'\\' => i += 1,
                        b'"' => break,
                        b'\n' => line += 1,
                        _ => {}
                    }
                }
            }
            b'(' | b'[' | b'{' => depth.open(line)?,
            b')' | b']' | b'}' => depth.close(),
            b'<' if syntax == Syntax::Schema => depth.open(line)?,
            b'>' if syntax == Syntax::Schema => depth.close(),
            _ if syntax == Syntax::Schema => {}
            b',' | b';' => depth.separator(),
            b':' if next == Some(b':') => i += 1,
            b'&' | b'|' | b'=' | b'!' | b'<' | b'>' => {
                if matches!(
                    (b, next),
                    (b'&', Some(b'&'))
                        | (b'|', Some(b'|'))
                        | (b'=' | b'!' | b'<' | b'>', Some(b'='))
                ) {
                    i += 1;
                }
                depth.operator(line)?;
            }
            b'+' | b'-' | b'*' | b'/' | b'%' | b'.' => depth.operator(line)?,
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                let start = i - 1;
                while at(i).is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_') {
                    i += 1;
                }
                if let Some(b"if" | b"has" | b"like" | b"is" | b"in") = bytes.get(start..i) {
                    depth.operator(line)?;
                }
            }
            _ => {}
        }
    }
    Ok(depth.stack.first().map_or(1, |root| root.depth))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth(text: &str) -> usize {
        (1..200)
            .find(|&max| check(text, Syntax::Policies, max).is_ok())
            .unwrap_or(usize::MAX)
    }

    #[test]
    fn groups_and_operators_count_separators_and_strings_do_not() {
        assert_eq!(depth(""), 1);
        assert_eq!(depth("forbid (principal, action, resource);"), 2);
        assert_eq!(depth("when { a }"), 2);
        assert_eq!(depth("when { ((a)) }"), 4);
        assert_eq!(depth("when { a && b && c }"), 4);
        assert_eq!(depth("when { [a, b, c, d] }"), 3);
        assert_eq!(depth("when { [a.b, c.d.e] }"), 5);
        assert_eq!(depth("when { ((a)) && b && c }"), 6);
        assert_eq!(depth("when { if a then b else c }"), 3);
        assert_eq!(depth(r#"when { "((((((((" }"#), 2);
        assert_eq!(depth("// ((((((((((\nwhen { a }"), 2);
        assert_eq!(depth(r#"when { "\"((((" == a }"#), 3);
        assert_eq!(depth(r#"when { A::B::"x" }"#), 2);
        assert_eq!(depth("when { a <= b || c != d }"), 5);
        // Unbalanced text is Cedar's to refuse; the count still ends.
        assert_eq!(depth(")))((("), 4);
    }

    #[test]
    fn the_shapes_that_overflowed_the_parser_are_refused_with_their_line() {
        let parens = format!(
            "forbid (principal, action, resource)\nwhen {{ {}1{} }};",
            "(".repeat(1000),
            ")".repeat(1000)
        );
        let sets = format!(
            "forbid (principal, action, resource)\nwhen {{ {}1{} }};",
            "[".repeat(1000),
            "]".repeat(1000)
        );
        let ifs = format!(
            "forbid (principal, action, resource)\nwhen {{ {}true{} }};",
            "if ".repeat(5000),
            " then true else false".repeat(5000)
        );
        for text in [parens, sets, ifs] {
            let err = check(&text, Syntax::Policies, 64).unwrap_err();
            assert_eq!(err, TooDeep { line: 2, depth: 65 });
        }
        let chain = format!("when {{\n{}true }}", "true &&\n".repeat(100));
        assert_eq!(check(&chain, Syntax::Policies, 64).unwrap_err().line, 64);
    }

    /// The README's Hostile input section states how deep the statutory
    /// rules reach.
    #[test]
    fn the_statutory_rules_reach_the_depth_the_readme_states() {
        let deepest = super::super::embedded::STATUTORY
            .iter()
            .map(|(_, text)| depth(text))
            .max()
            .unwrap();
        let readme = include_str!("../../README.md");
        assert!(
            readme.contains(&format!("the statutory rules reach {deepest}.")),
            "the statutory rules reach {deepest}: say so in the README"
        );
    }

    #[test]
    fn schema_brackets_count() {
        let deep = format!("type T = {}Long{};", "Set<".repeat(100), ">".repeat(100));
        assert_eq!(check(&deep, Syntax::Schema, 64).unwrap_err().depth, 65);
        assert!(
            check(
                "type T = { a: Set<Long>, b: { c: String } };",
                Syntax::Schema,
                4
            )
            .is_ok()
        );
    }
}
