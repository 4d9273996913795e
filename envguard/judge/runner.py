"""Variables the runner sets for itself: a CI system, the shell, the login session.

``check --from-env`` and ``check --pid`` judge the app's configuration, not the machine it runs on:
``RUNNER_DEBUG=1`` and ``ACTIONS_STEP_DEBUG=true`` (set when a job is re-run with debug logging)
are GitHub's own switches, not the app's debug flag. The list is decided here, once; the README
(Live configuration) describes it.

Left in, on purpose: ``GITHUB_TOKEN``, ``GITHUB_PAT`` and ``GITHUB_APP_*`` (a workflow author puts
them there; they are credentials worth judging), ``TZ`` and ``NODE_ENV``-style names (the app
reads them), and everything else.
"""

from __future__ import annotations

#: name prefixes CI systems reserve for themselves
PREFIXES = (
    "RUNNER_",
    "ACTIONS_",
    "GITHUB_",  # GitHub Actions
    "CI_",
    "GITLAB_",
    "FF_",  # GitLab CI (FF_: runner feature flags)
    "BUILDKITE_",
    "CIRCLE_",
    "TRAVIS_",
    "BITBUCKET_",
    "DRONE_",
    "WOODPECKER_",
    "CODEBUILD_",
    "LC_",
    "XDG_",  # locale and desktop session
)
#: exact names CI systems, shells, terminals and login sessions set
NAMES = frozenset(
    {
        # CI markers and hosted-runner images
        "CI",
        "GITLAB_CI",
        "CIRCLECI",
        "TRAVIS",
        "BUILDKITE",
        "DRONE",
        "JENKINS_URL",
        "JENKINS_HOME",
        "TF_BUILD",
        "TEAMCITY_VERSION",
        "ImageOS",
        "ImageVersion",
        "AGENT_TOOLSDIRECTORY",
        "ANDROID_HOME",
        "ANDROID_SDK_ROOT",
        "ANDROID_NDK",
        "ANDROID_NDK_HOME",
        "ANDROID_NDK_ROOT",
        "ANDROID_NDK_LATEST_HOME",
        "CHROMEWEBDRIVER",
        "EDGEWEBDRIVER",
        "GECKOWEBDRIVER",
        "CHROME_BIN",
        "CONDA",
        "DOTNET_MULTILEVEL_LOOKUP",
        "DOTNET_NOLOGO",
        "DOTNET_SKIP_FIRST_TIME_EXPERIENCE",
        "GHCUP_INSTALL_BASE_PREFIX",
        "GOROOT_1_21_X64",
        "JAVA_HOME",
        "PIPX_BIN_DIR",
        "PIPX_HOME",
        "POWERSHELL_DISTRIBUTION_CHANNEL",
        "SELENIUM_JAR_PATH",
        "SWIFT_PATH",
        "VCPKG_INSTALLATION_ROOT",
        "BOOTSTRAP_HASKELL_NONINTERACTIVE",
        "AZURE_EXTENSION_DIR",
        "ACCEPT_EULA",
        "DEBIAN_FRONTEND",
        # shell and login session
        "HOME",
        "PATH",
        "PWD",
        "OLDPWD",
        "SHLVL",
        "SHELL",
        "USER",
        "LOGNAME",
        "HOSTNAME",
        "HOSTTYPE",
        "OSTYPE",
        "MACHTYPE",
        "MAIL",
        "_",
        "PS1",
        "PS2",
        "PS4",
        "IFS",
        "COLUMNS",
        "LINES",
        "TMPDIR",
        "LANG",
        "LANGUAGE",
        "EDITOR",
        "VISUAL",
        "PAGER",
        "LESS",
        "LESSOPEN",
        "LESSCLOSE",
        "LS_COLORS",
        "TERM",
        "TERM_PROGRAM",
        "TERM_PROGRAM_VERSION",
        "COLORTERM",
        "TMUX",
        "TMUX_PANE",
        "STY",
        "SSH_AUTH_SOCK",
        "SSH_AGENT_PID",
        "SSH_CLIENT",
        "SSH_CONNECTION",
        "SSH_TTY",
        "DISPLAY",
        "WAYLAND_DISPLAY",
        "DBUS_SESSION_BUS_ADDRESS",
        "MOTD_SHOWN",
        # systemd
        "INVOCATION_ID",
        "JOURNAL_STREAM",
        "SYSTEMD_EXEC_PID",
        "NOTIFY_SOCKET",
        "MANAGERPID",
    }
)
#: names under a runner prefix that are the workflow author's credentials, judged as the app's
KEPT = frozenset({"GITHUB_TOKEN", "GITHUB_PAT"})
KEPT_PREFIXES = ("GITHUB_APP_",)


def is_runner_variable(name: str) -> bool:
    """Whether ``name`` is one a CI system, shell or session sets for itself (see module notes)."""
    if name in NAMES:
        return True
    if name in KEPT or name.startswith(KEPT_PREFIXES):
        return False
    return name.startswith(PREFIXES)
