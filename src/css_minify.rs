//! Shrinks the default theme's stylesheets when they are embedded (`build.rs` includes this
//! file too): comments go, runs of white space become one space, and the spaces CSS never
//! needs (around `{`, `}`, `;`, `,` and `>`, after `:` and `(`, before `)`) go too, as does
//! the `;` before a `}`. Custom properties (`--font: a, b`) keep their inner spaces, which
//! are part of their value. Nothing else changes: no rule is merged, reordered or rewritten, so
//! the result means exactly what the source means, which the tests check with a real CSS
//! parser (`tests/integration/theme_css.rs`). Strings are copied as written.
//!
//! Not a general CSS minifier: it is meant for the theme's own, checked files, and is small
//! enough to run in the build script without a dependency.

/// The stylesheet `css` without comments and unneeded white space, ending in one newline.
pub fn minify(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut chars = css.char_indices().peekable();
    let mut pending_space = false;
    // Inside a custom property's declaration; and whether its value has begun.
    let mut custom = false;
    let mut custom_value = false;
    while let Some((at, c)) = chars.next() {
        if c == '/' && css[at..].starts_with("/*") {
            // A comment separates tokens like white space does.
            let end = css[at + 2..]
                .find("*/")
                .map_or(css.len(), |i| at + 2 + i + 2);
            while chars.peek().is_some_and(|(i, _)| *i < end) {
                chars.next();
            }
            pending_space = true;
            continue;
        }
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        let after = out.chars().last();
        if c == ';' || c == '}' {
            custom = false;
        }
        if pending_space {
            pending_space = false;
            let needless = if custom {
                (after == Some(':') && !custom_value) || c == ';' || c == '}'
            } else {
                after.is_none_or(|p| "{};,:(>".contains(p)) || "{};,)>".contains(c)
            };
            if !needless {
                out.push(' ');
            }
        }
        if c == '-' && after.is_some_and(|p| p == '{' || p == ';') && css[at..].starts_with("--") {
            custom = true;
            custom_value = false;
        } else if custom && after == Some(':') {
            custom_value = true;
        }
        if c == '}' && out.ends_with(';') {
            out.pop();
        }
        out.push(c);
        if c == '"' || c == '\'' {
            // Copy the string as written, escapes included.
            while let Some((_, s)) = chars.next() {
                out.push(s);
                if s == '\\' {
                    if let Some((_, escaped)) = chars.next() {
                        out.push(escaped);
                    }
                } else if s == c || s == '\n' {
                    break;
                }
            }
        }
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::minify;

    #[test]
    fn drops_comments_and_needless_space_only() {
        assert_eq!(
            minify("/* a */\n.a > .b ,\n.c:hover {\n  color: red;\n  margin: 0 auto ;\n}\n"),
            ".a>.b,.c:hover{color:red;margin:0 auto}\n"
        );
        // Spaces that mean something stay: descendant combinators, before `(` in media
        // queries, around `+` and `-` in `calc()`, before a pseudo-class.
        assert_eq!(
            minify(
                "@media screen and (min-width: 30rem) { .a :is(.b) { width: calc(100% - 2rem + 1px); } }"
            ),
            "@media screen and (min-width:30rem){.a :is(.b){width:calc(100% - 2rem + 1px)}}\n"
        );
        // A custom property's value keeps its spaces.
        assert_eq!(
            minify(":root {\n  --font: a, \"b c\" ;\n  --x:  1px  2px;\n}\n"),
            ":root{--font:a, \"b c\";--x:1px 2px}\n"
        );
        // Strings are copied as written, comments inside them included.
        assert_eq!(
            minify(".a::before { content: \"/* x */  \\\" ; }\" ; }"),
            ".a::before{content:\"/* x */  \\\" ; }\"}\n"
        );
    }
}
