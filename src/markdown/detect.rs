//! The language of an unlabelled code block, for `[build] detect-code-language`: only the
//! kinds that cannot be mistaken for prose or for another language. Shell, PowerShell and
//! Python sessions (by their prompts), Dockerfiles (every instruction line starts with an
//! instruction in capitals) and JSON (it parses, as an object or an array).

use super::code::{FenceInfo, Session};

/// Dockerfile instructions, as written in capitals in nearly every Dockerfile.
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

/// Commands that tell a root prompt (`# apt-get install …`) from a comment (`# Install …`).
const ROOT_COMMANDS: &[&str] = &[
    "apk",
    "apt",
    "apt-get",
    "cat",
    "cd",
    "chmod",
    "chown",
    "cp",
    "curl",
    "dnf",
    "docker",
    "echo",
    "export",
    "systemctl",
    "groupadd",
    "journalctl",
    "kubectl",
    "ls",
    "mkdir",
    "mount",
    "mv",
    "nano",
    "passwd",
    "podman",
    "reboot",
    "rm",
    "service",
    "su",
    "sudo",
    "tail",
    "useradd",
    "usermod",
    "vi",
    "vim",
    "wget",
    "whoami",
    "yum",
];

/// The fence information an unlabelled block gets: `info` itself when nothing is certain.
pub(crate) fn detect(info: FenceInfo, code: &str) -> FenceInfo {
    let (lang, session) = match language(code) {
        Some(found) => found,
        None => return info,
    };
    FenceInfo {
        lang: lang.to_string(),
        session,
        ..info
    }
}

/// The language `code` is unmistakably written in, and its session kind for a session.
fn language(code: &str) -> Option<(&'static str, Option<Session>)> {
    let first = code.lines().find(|l| !l.trim().is_empty())?;
    if Session::Python.prompt(first).is_some() && first.starts_with(">>>") {
        return Some(("pycon", Some(Session::Python)));
    }
    if Session::PowerShell.prompt(first).is_some() {
        return Some(("ps1con", Some(Session::PowerShell)));
    }
    // A shell session may open with comments.
    let command = code
        .lines()
        .find(|l| !(l.trim().is_empty() || l.starts_with('#')));
    if command.is_some_and(|l| l.starts_with("$ ")) {
        return Some(("console", Some(Session::Shell)));
    }
    if is_root_session(code) {
        return Some(("console", Some(Session::RootShell)));
    }
    if is_dockerfile(code) {
        return Some(("dockerfile", None));
    }
    let trimmed = code.trim_start();
    if trimmed.starts_with(['{', '['])
        && serde_json::from_str::<serde::de::IgnoredAny>(code).is_ok()
    {
        return Some(("json", None));
    }
    None
}

/// True when every line that starts an instruction (not a comment, not a line continued
/// from the one before, not a here-document's body) starts with an instruction in capitals
/// and a blank, and there is at least one.
fn is_dockerfile(code: &str) -> bool {
    let (mut continued, mut heredoc, mut instructions) = (false, None::<&str>, 0);
    for line in code.lines() {
        let trimmed = line.trim();
        if let Some(delimiter) = heredoc {
            if trimmed == delimiter {
                heredoc = None;
            }
            continue;
        }
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if !continued {
            let word = trimmed.split_whitespace().next().unwrap_or("");
            if !INSTRUCTIONS.contains(&word) || trimmed.len() == word.len() {
                return false;
            }
            instructions += 1;
        }
        continued = trimmed.ends_with('\\');
        heredoc = line.split_once("<<").and_then(|(_, after)| {
            let word = after.trim_start_matches('-').trim_start();
            let word = word.trim_start_matches(['"', '\'']);
            let end = word
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(word.len());
            (end > 0).then_some(&word[..end])
        });
    }
    instructions > 0
}

/// True for a root shell session: it starts with `# ` and a command, every `#` line is such
/// a prompt, and no other line starts with a command (that would be a commented script).
fn is_root_session(code: &str) -> bool {
    let starts_with_command = |text: &str| {
        let word = text.split_whitespace().next().unwrap_or("");
        ROOT_COMMANDS.contains(&word) || word.starts_with("./")
    };
    let mut prompts = 0;
    for line in code.lines().filter(|l| !l.trim().is_empty()) {
        match line.strip_prefix("# ") {
            Some(command) if starts_with_command(command) => prompts += 1,
            Some(_) => return false,
            None if line.starts_with('#') || starts_with_command(line) => return false,
            None if prompts == 0 => return false,
            None => {}
        }
    }
    prompts > 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(code: &str) -> Option<&'static str> {
        language(code).map(|(lang, _)| lang)
    }

    #[test]
    fn shell_sessions_by_their_prompts() {
        let code = "$ docker ps\nCONTAINER ID   IMAGE\n$ docker run --rm \\\n    hello-world\n";
        assert_eq!(language(code), Some(("console", Some(Session::Shell))));
        let commented = "# For the first lab\n$ prepare-environment intro\n";
        assert_eq!(language(commented), Some(("console", Some(Session::Shell))));
        let root = "# apt-get update\nHit:1 http://deb.debian.org bookworm InRelease\n# systemctl restart docker\n";
        assert_eq!(language(root), Some(("console", Some(Session::RootShell))));
        let ps =
            "PS C:\\Users\\me> docker version\nClient: Docker Engine\nPS> Get-Service docker\n";
        assert_eq!(language(ps), Some(("ps1con", Some(Session::PowerShell))));
        assert_eq!(
            Session::PowerShell.prompt("PS C:\\Users\\me> docker"),
            Some(16)
        );
        assert_eq!(Session::PowerShell.prompt("PS> Get-Service"), Some(4));
        assert_eq!(Session::PowerShell.prompt("PSReadLine is loaded"), None);
    }

    #[test]
    fn python_sessions_by_their_prompts() {
        let code = ">>> import json\n>>> json.dumps({'a': 1})\n'{\"a\": 1}'\n>>> def f():\n...     return 1\n...\n";
        assert_eq!(language(code), Some(("pycon", Some(Session::Python))));
    }

    #[test]
    fn dockerfiles_by_their_instructions() {
        let code = "# syntax=docker/dockerfile:1\nFROM python:3.12-slim\nRUN apt-get update \\\n    && apt-get install -y curl\n\nCOPY <<EOF /app/x\nnot an instruction\nEOF\nCMD [\"python\"]\n";
        assert_eq!(lang(code), Some("dockerfile"));
        assert_eq!(lang("RUN pip install uv\n"), Some("dockerfile"));
    }

    #[test]
    fn json_that_parses() {
        assert_eq!(
            lang("{\n  \"name\": \"agent\",\n  \"port\": 8000\n}\n"),
            Some("json")
        );
        assert_eq!(lang("[1, 2, 3]"), Some("json"));
    }

    /// What could be mistaken stays plain: prose, headings, commented scripts, other code,
    /// broken JSON, lower-case instruction words.
    #[test]
    fn anything_uncertain_stays_plain() {
        for code in [
            "",
            "Run with:\n",
            "Add some boxes to navigate around:\n",
            "# Humanoid Navigation\n## Target system\n",
            "# Install the dependencies\napt-get install -y curl\n",
            "# cd into the project\ncd project\n",
            "def f(x):\n    return x\n",
            "name: agent\nport: 8000\n",
            "{ \"name\": \"agent\", }\n",
            "{{ template }}\n",
            "from flask import Flask\n",
            "FROM\n",
            "FROM python:3.12\nthen run the build\n",
            "Traceback (most recent call last):\n  File \"x.py\", line 1\n",
            "$HOME/bin\n",
        ] {
            assert_eq!(language(code), None, "{code}");
        }
    }

    #[test]
    fn detection_keeps_the_rest_of_the_fence_information() {
        let info = FenceInfo {
            title: Some("run".into()),
            highlight: vec![2],
            ..Default::default()
        };
        let found = detect(info, "$ ls\n");
        assert_eq!(
            (found.lang.as_str(), found.title.as_deref(), found.highlight),
            ("console", Some("run"), vec![2])
        );
        assert_eq!(
            detect(FenceInfo::default(), "just text\n"),
            FenceInfo::default()
        );
    }
}
