//! Reading JSX and JavaScript text without running it: where strings start and end, and how
//! deep in `{…}` a character is. Shared by the MDX passes that look for a tag's `>`, an
//! attribute's closing `}` or the end of an expression.

/// Quotes and brace depth, one character at a time.
#[derive(Debug, Default)]
pub(crate) struct JsScan {
    depth: i32,
    quote: Option<char>,
}

impl JsScan {
    /// Takes the next character. `Some(depth)` when it is code (outside strings and not a
    /// quote): the brace depth after it, so a `{` gives 1 at the top level and its `}` 0.
    pub(crate) fn step(&mut self, c: char) -> Option<i32> {
        match (self.quote, c) {
            (Some(q), c) if c == q => {
                self.quote = None;
                None
            }
            (Some(_), _) => None,
            (None, '"' | '\'' | '`') => {
                self.quote = Some(c);
                None
            }
            (None, '{') => {
                self.depth += 1;
                Some(self.depth)
            }
            (None, '}') => {
                self.depth -= 1;
                Some(self.depth)
            }
            (None, _) => Some(self.depth),
        }
    }

    /// The brace depth so far.
    pub(crate) fn depth(&self) -> i32 {
        self.depth
    }
}

#[cfg(test)]
mod tests {
    use super::JsScan;

    #[test]
    fn strings_hide_braces_and_quotes_of_the_other_kind() {
        let mut scan = JsScan::default();
        let depths: Vec<Option<i32>> = r#"{"}'"}"#.chars().map(|c| scan.step(c)).collect();
        assert_eq!(depths, [Some(1), None, None, None, None, Some(0)]);
    }
}
