//! Tests of Syllabus' own grammars: the class of each token of short fragments, and the
//! bundled course's blocks.

use super::highlight::tests::classes;
use super::highlight::Highlighter;

const K: Option<char> = Some('k');
const S: Option<char> = Some('s');
const N: Option<char> = Some('n');
const V: Option<char> = Some('v');
const O: Option<char> = Some('o');
const F: Option<char> = Some('f');
const C: Option<char> = Some('c');
const T: Option<char> = Some('t');
const A: Option<char> = Some('a');
const E: Option<char> = Some('e');
const G: Option<char> = Some('g');
const PLAIN: Option<char> = None;

/// Asserts that every non-blank character of each `(line, token, class)` of `code` has that
/// class. A token is looked for after the previous token of the same line, so a repeated
/// word is checked in order.
fn assert_tokens(lang: &str, code: &str, expect: &[(usize, &str, Option<char>)]) {
    let h = Highlighter::new();
    let lines = h.highlight(lang, code);
    assert_eq!(lines.len(), code.lines().count());
    let mut from = (usize::MAX, 0);
    for &(line, token, class) in expect {
        let cs = classes(&lines[line]);
        let text: String = cs.iter().map(|(c, _)| *c).collect();
        let start = if from.0 == line { from.1 } else { 0 };
        let at = start
            + text[start..]
                .find(token)
                .unwrap_or_else(|| panic!("`{token}` in `{}`", &text[start..]));
        let first = text[..at].chars().count();
        for (i, (c, found)) in cs[first..first + token.chars().count()].iter().enumerate() {
            if !c.is_whitespace() {
                assert_eq!(
                    *found, class,
                    "`{token}` (char {i}) on line {line} of {lang}: {}",
                    lines[line]
                );
            }
        }
        from = (line, at + token.len());
    }
}

#[test]
fn dockerfile_instructions_on_any_line_in_any_case_are_one_class() {
    let code = r#"RUN make
cmd ["serve"]
Copy . /src
healthcheck CMD true
ONBUILD RUN make
onbuild add . /x
ENTRYPOINT ["tini", "--"]
WORKDIR /app
maintainer Someone
    EXPOSE 80
Shell ["sh", "-c"]
STOPSIGNAL SIGTERM
VOLUME /data
"#;
    assert_tokens(
        "dockerfile",
        code,
        &[
            (0, "RUN", K),
            (1, "cmd", K),
            (2, "Copy", K),
            (3, "healthcheck", K),
            (3, "CMD", K),
            (4, "ONBUILD", K),
            (4, "RUN", K),
            (5, "onbuild", K),
            (5, "add", K),
            (6, "ENTRYPOINT", K),
            (7, "WORKDIR", K),
            (7, "/app", PLAIN),
            (8, "maintainer", K),
            (9, "EXPOSE", K),
            (10, "Shell", K),
            (11, "STOPSIGNAL", K),
            (11, "SIGTERM", N),
            (12, "VOLUME", K),
        ],
    );
    for alias in ["Dockerfile", "docker", "containerfile"] {
        assert_tokens(
            alias,
            "healthcheck NONE\n",
            &[(0, "healthcheck", K), (0, "NONE", N)],
        );
    }
}

#[test]
fn dockerfile_directives_and_comments() {
    let code = r#"# syntax=docker/dockerfile:1
# escape=\
#check=skip=JSONArgsRecommended
# A comment, not a directive: RUN here is prose
RUN true
  # an indented comment
"#;
    assert_tokens(
        "dockerfile",
        code,
        &[
            (0, "#", C),
            (0, "syntax", K),
            (0, "=", O),
            (0, "docker/dockerfile:1", S),
            (1, "escape", K),
            (1, "\\", S),
            (2, "check", K),
            (2, "skip=JSONArgsRecommended", S),
            (3, "# A comment, not a directive: RUN here is prose", C),
            (4, "RUN", K),
            (5, "# an indented comment", C),
        ],
    );
}

#[test]
fn dockerfile_flags_stages_ports_and_users() {
    let code = r#"COPY --from=builder --chown=app:app --chmod=755 --link /app/.venv /app/.venv
RUN --mount=type=cache,target=/root/.cache/uv,sharing=locked --network=none uv sync
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 CMD curl -f http://x/
FROM --platform=$BUILDPLATFORM python:3.12-slim AS builder
COPY --from=ghcr.io/astral-sh/uv:0.8 /uv /bin/
EXPOSE 8000/tcp 9000/udp
USER 10001:10001
USER app
"#;
    assert_tokens(
        "dockerfile",
        code,
        &[
            (0, "--from=", V),
            (0, "builder", T),
            (0, "--chown=", V),
            (0, "app:app", PLAIN),
            (0, "--chmod=", V),
            (0, "755", N),
            (0, "--link", V),
            (0, "/app/.venv", PLAIN),
            (1, "--mount=", V),
            (1, "type", A),
            (1, "cache", PLAIN),
            (1, "target", A),
            (1, "/root/.cache/uv", PLAIN),
            (1, "sharing", A),
            (1, "locked", PLAIN),
            (1, "--network=", V),
            (1, "none", PLAIN),
            (1, "uv", F),
            (2, "--interval=", V),
            (2, "30s", N),
            (2, "--timeout=", V),
            (2, "3s", N),
            (2, "--start-period=", V),
            (2, "10s", N),
            (2, "--retries=", V),
            (2, "3", N),
            (2, "CMD", K),
            (2, "curl", F),
            (2, "-f", V),
            (3, "--platform=", V),
            (3, "$BUILDPLATFORM", V),
            (3, "python:3.12-slim", PLAIN),
            (3, "AS", K),
            (3, "builder", T),
            (4, "--from=", V),
            (4, "ghcr.io/astral-sh/uv:0.8", PLAIN),
            (5, "8000/tcp", N),
            (5, "9000/udp", N),
            (6, "10001", N),
            (6, ":", PLAIN),
            (6, "10001", N),
            (7, "app", PLAIN),
        ],
    );
}

#[test]
fn dockerfile_variables_wherever_they_appear() {
    let code = r#"FROM python:${PYTHON_VERSION}-slim
WORKDIR $HOME/app
ENV PATH="/app/bin:$PATH" LEVEL=${LOG_LEVEL:-info}
CMD ["serve", "--port", "${PORT}"]
LABEL version="${APP_VERSION}" escaped=\$HOME
"#;
    assert_tokens(
        "dockerfile",
        code,
        &[
            (0, "python:", PLAIN),
            (0, "${PYTHON_VERSION}", V),
            (0, "-slim", PLAIN),
            (1, "$HOME", V),
            (1, "/app", PLAIN),
            (2, "\"/app/bin:", S),
            (2, "$PATH", V),
            (2, "\"", S),
            (2, "${LOG_LEVEL", V),
            (2, ":-", O),
            (2, "info", S),
            (2, "}", V),
            (3, "${PORT}", V),
            (4, "\"", S),
            (4, "${APP_VERSION}", V),
            (4, "\\$", E),
            (4, "HOME", PLAIN),
        ],
    );
}

#[test]
fn dockerfile_pairs_have_keys_and_values() {
    let code = r#"ENV PYTHONUNBUFFERED=1 \
    MODEL_NAME=stub-model \
    GREETING="hello world" SINGLE='it is'
ARG PYTHON_VERSION=3.12
ARG HF_TOKEN
LABEL org.opencontainers.image.title="agent" "com.example.quoted"="yes"
ENV LEGACY the whole rest
"#;
    assert_tokens(
        "dockerfile",
        code,
        &[
            (0, "ENV", K),
            (0, "PYTHONUNBUFFERED", V),
            (0, "=", O),
            (0, "1", N),
            (0, "\\", PLAIN),
            (1, "MODEL_NAME", V),
            (1, "=", O),
            (1, "stub-model", PLAIN),
            (2, "GREETING", V),
            (2, "\"hello world\"", S),
            (2, "SINGLE", V),
            (2, "'it is'", S),
            (3, "PYTHON_VERSION", V),
            (3, "3.12", N),
            (4, "HF_TOKEN", V),
            (5, "org.opencontainers.image.title", V),
            (5, "\"agent\"", S),
            (5, "\"com.example.quoted\"", S),
            (5, "=", O),
            (5, "\"yes\"", S),
            (6, "LEGACY", V),
            (6, "the whole rest", PLAIN),
        ],
    );
}

#[test]
fn dockerfile_exec_form_is_an_array_of_strings() {
    let code = r#"CMD ["uvicorn", "app:app", "--host", "0.0.0.0"]
ENTRYPOINT [ "python", \
    "-m", "app" ]
RUN ["pip", "install", "a\"b"]
"#;
    assert_tokens(
        "dockerfile",
        code,
        &[
            (0, "[", PLAIN),
            (0, "\"uvicorn\"", S),
            (0, ",", PLAIN),
            (0, "\"app:app\"", S),
            (0, "\"--host\"", S),
            (0, "\"0.0.0.0\"", S),
            (0, "]", PLAIN),
            (1, "\"python\"", S),
            (2, "\"-m\"", S),
            (2, "\"app\"", S),
            (3, "\"pip\"", S),
            (3, "\"a", S),
            (3, "\\\"", E),
            (3, "b\"", S),
        ],
    );
}

#[test]
fn dockerfile_shell_form_is_bash_across_continuations() {
    let code = r#"RUN apt-get update && apt-get install -y --no-install-recommends \
    curl ca-certificates \
    # Docker drops this comment line
    && rm -rf /var/lib/apt/lists/* \
 && echo "done: $HOME" > /tmp/log 2>&1
RUN echo hi # the shell's comment
CMD exec uvicorn app:app --port "$PORT"
ENTRYPOINT [ -f /env ] && . /env; exec "$@"
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
HEALTHCHECK --interval=5s CMD pg_isready -U "$USER" || exit 1
WORKDIR /app
"#;
    assert_tokens(
        "dockerfile",
        code,
        &[
            (0, "apt-get", F),
            (0, "update", PLAIN),
            (0, "&&", O),
            (0, "apt-get", F),
            (0, "-y", V),
            (0, "--no-install-recommends", V),
            (1, "curl ca-certificates", PLAIN),
            (2, "# Docker drops this comment line", C),
            (3, "&&", O),
            (3, "rm", F),
            (3, "-rf", V),
            (4, "&&", O),
            (4, "echo", F),
            (4, "\"done: ", S),
            (4, "$HOME", V),
            (4, ">", O),
            (4, "2", N),
            (4, ">&", O),
            (4, "1", N),
            (5, "RUN", K),
            (5, "echo", F),
            (5, "# the shell's comment", C),
            (6, "CMD", K),
            (6, "exec", F),
            (6, "uvicorn", PLAIN),
            (6, "--port", V),
            (6, "$PORT", V),
            (7, "[", F),
            (7, "-f", V),
            (7, "&&", O),
            (7, ".", F),
            (7, ";", O),
            (7, "exec", F),
            (7, "$@", V),
            (8, "\"/bin/bash\"", S),
            (9, "--interval=", V),
            (9, "CMD", K),
            (9, "pg_isready", F),
            (9, "-U", V),
            (9, "$USER", V),
            (9, "||", O),
            (9, "exit", F),
            (10, "WORKDIR", K),
        ],
    );
}

#[test]
fn dockerfile_fragments_that_start_inside_a_run() {
    let code = r#"    && rm -rf /var/lib/apt/lists/*
    --mount=type=cache,target=/root/.cache \
    uv sync --frozen
COPY app ./app
"#;
    assert_tokens(
        "dockerfile",
        code,
        &[
            (0, "&&", O),
            (0, "rm", F),
            (1, "--mount=", V),
            (1, "type", A),
            (2, "uv", F),
            (2, "--frozen", V),
            (3, "COPY", K),
        ],
    );
}

#[test]
fn dockerfile_backtick_escape_continues_lines() {
    let code = r#"# escape=`
FROM mcr.microsoft.com/windows/servercore
RUN New-Item -Path C:\app `
    -ItemType Directory; `
    Write-Host done
COPY . C:\app\
WORKDIR C:\app
"#;
    assert_tokens(
        "dockerfile",
        code,
        &[
            (0, "escape", K),
            (0, "`", S),
            (1, "FROM", K),
            (2, "New-Item", F),
            (2, "-Path", V),
            (2, "`", PLAIN),
            (3, "-ItemType", V),
            (3, ";", O),
            (4, "Write-Host", F),
            (5, "COPY", K),
            (5, "C:\\app\\", PLAIN),
            (6, "WORKDIR", K),
        ],
    );
}

#[test]
fn dockerfile_heredocs() {
    let code = "RUN <<EOF
set -eux
apt-get update -q
EOF
RUN --mount=type=cache,target=/var/cache/apt <<-EOT bash
\tif [ -n \"$CI\" ]; then echo ci; fi
\tEOT
RUN python3 <<'PY'
import os
print(os.environ[\"HOME\"])
PY
COPY <<EOF /app/config.ini
port = ${PORT}
EOF
COPY <<\"EOF\" /app/raw.txt
keep $THIS
RUN this is text, not an instruction
EOF
RUN cat <<EOF > /etc/motd
Hello $USER
EOF
WORKDIR /app
";
    assert_tokens(
        "dockerfile",
        code,
        &[
            (0, "RUN", K),
            (0, "<<", O),
            (0, "EOF", K),
            (1, "set", F),
            (1, "-eux", V),
            (2, "apt-get", F),
            (2, "-q", V),
            (3, "EOF", K),
            (4, "--mount=", V),
            (4, "<<-", O),
            (4, "EOT", K),
            (4, "bash", F),
            (5, "if", K),
            (5, "-n", V),
            (5, "$CI", V),
            (5, "echo", F),
            (6, "EOT", K),
            (7, "python3", F),
            (7, "<<", O),
            (7, "PY", K),
            (8, "import", K),
            (9, "print", F),
            (9, "\"HOME\"", S),
            (10, "PY", K),
            (11, "COPY", K),
            (11, "<<", O),
            (11, "EOF", K),
            (11, "/app/config.ini", PLAIN),
            (12, "port = ", PLAIN),
            (12, "${PORT}", V),
            (13, "EOF", K),
            (14, "EOF", K),
            (15, "keep $THIS", PLAIN),
            (16, "RUN this is text, not an instruction", PLAIN),
            (17, "EOF", K),
            (18, "cat", F),
            (18, ">", O),
            (19, "Hello ", PLAIN),
            (19, "$USER", V),
            (20, "EOF", K),
            (21, "WORKDIR", K),
        ],
    );
}

/// Broken Dockerfiles keep their text, and one broken line does not spoil the next.
#[test]
fn dockerfile_survives_broken_code() {
    let code = r#"ENV A="never closed
RUN echo "never closed
CMD ["a", "b"
LABEL x=${UNCLOSED
COPY --from= . /
RUN $(( 1 +
ENV 'never closed
FROM \
"#;
    let h = Highlighter::new();
    let lines = h.highlight("dockerfile", code);
    for (html, line) in lines.iter().zip(code.lines()) {
        let text: String = classes(html).iter().map(|(c, _)| *c).collect();
        assert_eq!(text, line);
    }
    for (i, line) in lines.iter().enumerate() {
        assert_eq!(classes(line)[0].1, K, "line {i}: {line}");
    }
}

/// The lines of a Dockerfile that start an instruction, with the instruction word: not
/// comments, not lines that continue the one before (`\`), not here-document bodies.
fn instruction_lines(code: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let (mut continued, mut heredoc) = (false, None::<String>);
    for (i, line) in code.lines().enumerate() {
        let trimmed = line.trim();
        if let Some(delimiter) = &heredoc {
            if trimmed == delimiter {
                heredoc = None;
            }
            continue;
        }
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if !continued {
            out.push((i, trimmed.split_whitespace().next().unwrap_or("")));
        }
        continued = trimmed.ends_with('\\');
        if let Some((_, after)) = line.split_once("<<") {
            let word: String = after
                .trim_start_matches('-')
                .trim_start()
                .trim_start_matches(['"', '\''])
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            heredoc = (!word.is_empty()).then_some(word);
        }
    }
    out
}

/// Every instruction of every Dockerfile block of the bundled course, fragments included,
/// is shown as an instruction.
#[test]
fn every_instruction_of_the_courses_dockerfiles_has_a_class() {
    const INSTRUCTIONS: &[&str] = &[
        "ADD",
        "ARG",
        "CMD",
        "COPY",
        "ENTRYPOINT",
        "ENV",
        "EXPOSE",
        "FROM",
        "HEALTHCHECK",
        "LABEL",
        "MAINTAINER",
        "ONBUILD",
        "RUN",
        "SHELL",
        "STOPSIGNAL",
        "USER",
        "VOLUME",
        "WORKDIR",
    ];
    let h = Highlighter::new();
    let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let (mut blocks, mut checked) = (0, 0);
    for entry in walkdir::WalkDir::new(content).into_iter().flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        let mut rest = text.as_str();
        while let Some(at) = rest.find("```") {
            let (info, body) = rest[at + 3..].split_once('\n').unwrap_or(("", ""));
            let end = body.find("```").unwrap_or(body.len());
            let (code, lang) = (&body[..end], info.split_whitespace().next());
            rest = &body[(end + 3).min(body.len())..];
            if !matches!(
                lang,
                Some("dockerfile" | "Dockerfile" | "docker" | "containerfile")
            ) {
                continue;
            }
            blocks += 1;
            let lines = h.highlight(lang.unwrap(), code);
            for (i, word) in instruction_lines(code) {
                let where_ = format!(
                    "{}: {}",
                    entry.path().display(),
                    code.lines().nth(i).unwrap()
                );
                assert!(
                    INSTRUCTIONS.contains(&word.to_ascii_uppercase().as_str()),
                    "{where_}"
                );
                let cs = classes(&lines[i]);
                let start = cs.iter().position(|(c, _)| !c.is_whitespace()).unwrap();
                let word_classes = &cs[start..start + word.len()];
                assert!(
                    word_classes.iter().all(|(_, k)| *k == K),
                    "{where_}: {}",
                    lines[i]
                );
                checked += 1;
            }
        }
    }
    assert!(
        blocks >= 10 && checked >= 100,
        "{blocks} blocks, {checked} instructions"
    );
}

#[test]
fn dockerignore_comments_negations_and_globs() {
    let code = r#"# Version control
.git
**/__pycache__
*.py[cod]
!README.md
.env?
"#;
    assert_tokens(
        "dockerignore",
        code,
        &[
            (0, "# Version control", C),
            (1, ".git", PLAIN),
            (2, "**", O),
            (2, "/__pycache__", PLAIN),
            (3, "*", O),
            (3, ".py", PLAIN),
            (3, "[cod]", N),
            (4, "!", K),
            (4, "README.md", PLAIN),
            (5, "?", O),
        ],
    );
}

#[test]
fn yaml_shows_each_kind_of_token() {
    let code = r#"# compose file
services:
  agent: &agent
    image: "agent:${TAG:-dev}"
    ports:
      - "8000:8000"
    environment:
      DATABASE_URL: postgresql://${USER}@db:5432/app
      COST: $$5
    retries: 3
    ratio: 0.5
    debug: false
    extra: null
    command: ["serve", --port, 80]
    labels: {tier: web, replicas: 2}
    script: |
      echo "hi" # not a comment
      exit 0
    folded: >-
      text
  worker: *agent
  tagged: !!str 123
"#;
    assert_tokens(
        "yaml",
        code,
        &[
            (0, "# compose file", C),
            (1, "services", G),
            (1, ":", PLAIN),
            (2, "agent", G),
            (2, "&agent", V),
            (3, "image", G),
            (3, "\"agent:", S),
            (3, "${TAG", V),
            (3, ":-", O),
            (3, "dev", S),
            (3, "}", V),
            (3, "\"", S),
            (5, "-", PLAIN),
            (5, "\"8000:8000\"", S),
            (7, "DATABASE_URL", G),
            (7, "postgresql://", S),
            (7, "${USER}", V),
            (7, "@db:5432/app", S),
            (8, "$$", E),
            (8, "5", S),
            (9, "3", N),
            (10, "0.5", N),
            (11, "false", N),
            (12, "null", N),
            (13, "\"serve\"", S),
            (13, "--port", S),
            (13, "80", N),
            (14, "tier", G),
            (14, "web", S),
            (14, "replicas", G),
            (14, "2", N),
            (15, "script", G),
            (15, "|", K),
            (16, "echo \"hi\" # not a comment", S),
            (17, "exit 0", S),
            (18, ">-", K),
            (19, "text", S),
            (20, "worker", G),
            (20, "*agent", V),
            (21, "!!str", K),
            (21, "123", N),
        ],
    );
}

#[test]
fn own_grammars_yaml_agrees_with_syntects_on_the_course() {
    let (same, all) = super::highlight::tests::agreement_on_the_course("yaml");
    assert!(all > 1000, "the course has YAML to compare: {all}");
    assert!(same as f64 / all as f64 >= 0.95, "yaml: {same} of {all}");
}
