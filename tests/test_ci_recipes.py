"""The CI recipes of docs/ci/ publish the site when run as written.

Each recipe's YAML is read and its jobs' shell steps are run in order, in a
clean copy of this repository with its history, as the CI service would
run them. The steps that only set up what a CI service provides are done
by their plain equivalent: the checkout is the copy, Python is a virtual
environment (seeing the packages already installed, so that only the
package's build tools are downloaded, as pip does anywhere), `apt-get` is a
stand-in that installs nothing, and the
upload is the folder the step names, which must hold the site built for
the address the service gives.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
import venv
from collections.abc import Callable
from pathlib import Path
from typing import Any

import boto3
import yaml

from tests.helpers import REPO
from tests.test_deploy import KEY_ID, SECRET, Server, assert_serves, moto_port, sshd

__all__ = ["moto_port", "sshd"]  # the servers of the deploy tests, as fixtures here

GITHUB = REPO / "docs/ci/github-actions.yml"
GITLAB = REPO / "docs/ci/gitlab-ci.yml"
GITHUB_OSS = REPO / "docs/ci/github-actions-oss.yml"
GITHUB_SSH = REPO / "docs/ci/github-actions-ssh.yml"
GITLAB_DEPLOY = REPO / "docs/ci/gitlab-ci-deploy.yml"
GITHUB_PAGES = "https://college.github.io/xindu"  # as actions/configure-pages gives it
GITLAB_PAGES = "https://college.gitlab.io/xindu"  # $CI_PAGES_URL


class Runner:
    """A clean copy of the repository and a Python to run a recipe's steps with."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp = tmp_path
        self.work = tmp_path / "work"
        tools = tmp_path / "tools"
        tools.mkdir()
        apt = tools / "apt-get"  # the packages a recipe asks for are here already
        apt.write_text('#!/bin/sh\necho "apt-get $*" >> "$(dirname "$0")/apt.log"\n')
        apt.chmod(0o755)
        self.apt_log = tools / "apt.log"
        environment = tmp_path / "python"
        venv.EnvBuilder(system_site_packages=True, with_pip=False).create(environment)
        self.env = {
            **os.environ,
            "PATH": f"{environment / 'bin'}{os.pathsep}{tools}{os.pathsep}{os.environ['PATH']}",
            "VIRTUAL_ENV": str(environment),
            "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        }
        self.env.pop("PYTHONPATH", None)  # sitegen is the one the recipe installs
        self.env.pop("SITEGEN_CACHE_DIR", None)
        self.env.pop("CI", None)

    def checkout(self) -> None:
        """A clone of the repository as it is now, with a commit of its own."""
        files = ["ls-files", "-z", "--cached", "--others", "--exclude-standard"]
        listed = (
            subprocess.run(["git", "-C", str(REPO), *files], check=True, capture_output=True)
            .stdout.decode()
            .split("\0")
        )
        for name in filter(None, listed):
            source = REPO / name
            if source.is_file():
                target = self.work / name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)
        git = ["git", "-C", str(self.work), "-c", "user.name=CI", "-c", "user.email=ci@example.org"]
        subprocess.run([*git, "init", "-q"], check=True)
        subprocess.run([*git, "add", "-A"], check=True)
        subprocess.run([*git, "commit", "-q", "-m", "the site"], check=True)

    def shell(self, script: str, values: dict[str, str]) -> None:
        """Run ``script`` as the CI service's shell would, after filling in
        its ``${{ … }}`` expressions from ``values``."""

        def value(match: re.Match[str]) -> str:
            name = match.group(1).strip()
            assert name in values, f"the recipe uses ${{{{ {name} }}}}, which this test lacks"
            return values[name]

        filled = re.sub(r"\$\{\{(.*?)\}\}", value, script)
        done = subprocess.run(
            ["bash", "-eo", "pipefail", "-c", filled],
            cwd=self.work, env=self.env, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        assert done.returncode == 0, f"step failed: {filled}\n{done.stdout}\n{done.stderr}"


def assert_published(folder: Path, address: str) -> None:
    """``folder`` holds the example site, built for ``address``."""
    assert (folder / "index.html").is_file() and (folder / "en/index.html").is_file()
    assert (folder / "news/2020/04/pujiang-visit/index.html").is_file()
    assert (folder / "pagefind").is_dir(), "the search index is published"
    path = address.split("://", 1)[1].split("/", 1)[1]
    home = (folder / "index.html").read_text(encoding="utf-8")
    assert f'href="/{path}/news/"' in home, "links carry the address's path"
    sitemap = (folder / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{address}/news/2020/04/pujiang-visit/</loc>" in sitemap
    assert not (folder / "lib").exists() and not list(folder.glob("bdist*"))


def test_the_github_recipe_checks_pull_requests_and_publishes_pushes(tmp_path: Path) -> None:
    recipe: dict[Any, Any] = yaml.safe_load(GITHUB.read_text(encoding="utf-8"))
    triggers = recipe[True]  # YAML 1.1 reads the key `on` as true
    assert {"push", "pull_request", "schedule", "workflow_dispatch"} <= set(triggers)
    jobs = recipe["jobs"]
    assert jobs["check"]["if"] == "github.event_name == 'pull_request'"
    assert jobs["build"]["if"] == "github.event_name != 'pull_request'"
    assert jobs["deploy"]["needs"] == "build"

    runner = Runner(tmp_path)
    outputs: dict[str, str] = {}
    uploaded: list[Path] = []

    def checkout(step: dict[str, Any]) -> None:
        assert step.get("with", {}).get("fetch-depth") == 0, "the whole history is fetched"
        runner.checkout()

    def configure_pages(step: dict[str, Any]) -> None:
        outputs[f"steps.{step['id']}.outputs.base_url"] = GITHUB_PAGES

    def cache(step: dict[str, Any]) -> None:
        assert step["with"]["path"] == ".sitegen-cache"

    def upload(step: dict[str, Any]) -> None:
        uploaded.append(runner.work / step["with"]["path"])

    actions: dict[str, Callable[[dict[str, Any]], None]] = {
        "actions/checkout": checkout,
        "actions/setup-python": lambda step: None,  # the environment made above
        "actions/configure-pages": configure_pages,
        "actions/cache": cache,
        "actions/upload-pages-artifact": upload,
    }
    for job in ("check", "build"):
        shutil.rmtree(runner.work, ignore_errors=True)
        for step in jobs[job]["steps"]:
            if "uses" in step:
                actions[step["uses"].split("@")[0]](step)
            else:
                runner.shell(step["run"], outputs)
    assert len(uploaded) == 1
    assert_published(uploaded[0], GITHUB_PAGES)
    assert not (runner.work / "build").exists(), "nothing but the site is in the output"


def test_the_gitlab_recipe_checks_merge_requests_and_publishes_the_default_branch(
    tmp_path: Path,
) -> None:
    recipe: dict[str, Any] = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))
    assert recipe["check"]["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    assert recipe["pages"]["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert recipe["variables"]["GIT_DEPTH"] == 0

    runner = Runner(tmp_path)
    runner.env.update({"CI_PAGES_URL": GITLAB_PAGES, "CI_DEFAULT_BRANCH": "main"})
    for job in ("check", "pages"):
        shutil.rmtree(runner.work, ignore_errors=True)
        runner.checkout()
        for line in [*recipe["default"]["before_script"], *recipe[job]["script"]]:
            runner.shell(line, {})
    assert "install" in runner.apt_log.read_text()
    (published,) = recipe["pages"]["artifacts"]["paths"]
    assert_published(runner.work / published, GITLAB_PAGES)


# ------------------------------------------------- publishing with sitegen deploy


def run_github_job(
    runner: Runner,
    job: dict[str, Any],
    values: dict[str, str],
    actions: dict[str, Callable[[dict[str, Any]], None]],
) -> None:
    """The steps of ``job``: actions by their stand-ins, shell steps with
    their ``env:`` filled in from ``values`` (the secrets among them)."""
    for step in job["steps"]:
        if "uses" in step:
            actions[step["uses"].split("@")[0]](step)
            continue
        env = {
            name: re.sub(r"\$\{\{(.*?)\}\}", lambda m: values[m.group(1).strip()], str(value))
            for name, value in step.get("env", {}).items()
        }
        saved = dict(runner.env)
        runner.env.update(env)
        try:
            runner.shell(step["run"], values)
        finally:
            runner.env = saved


def add_target(runner: Runner, target: dict[str, Any]) -> None:
    """What the site's own site.yaml names: its deploy target."""
    config = runner.work / "site.yaml"
    text = yaml.safe_dump({"deploy": target}, sort_keys=False)
    config.write_text(config.read_text(encoding="utf-8") + text, encoding="utf-8")


def the_deploy_job(recipe: dict[str, Any]) -> dict[str, Any]:
    jobs = recipe["jobs"]
    assert jobs["check"]["if"] == "github.event_name == 'pull_request'"
    assert jobs["deploy"]["if"] == "github.event_name != 'pull_request'"
    assert {"push", "pull_request", "schedule", "workflow_dispatch"} <= set(recipe[True])
    return dict(jobs["deploy"])


def test_the_object_storage_recipe_deploys_with_the_keys_from_secrets(
    tmp_path: Path, moto_port: int
) -> None:
    recipe: dict[Any, Any] = yaml.safe_load(GITHUB_OSS.read_text(encoding="utf-8"))
    job = the_deploy_job(recipe)
    assert "AWS_SECRET_ACCESS_KEY" not in json.dumps(job["steps"][:-1]), "keys for deploy only"
    client = boto3.client(
        "s3", endpoint_url=f"http://127.0.0.1:{moto_port}", region_name="us-east-1",
        aws_access_key_id=KEY_ID, aws_secret_access_key=SECRET,
    )  # fmt: skip
    client.create_bucket(Bucket="xindu-site")
    runner = Runner(tmp_path)
    runner.env["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull  # only what the recipe gives
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE"):
        runner.env.pop(name, None)

    def checkout(step: dict[str, Any]) -> None:
        runner.checkout()
        s3 = {"endpoint": f"http://127.0.0.1:{moto_port}", "bucket": "xindu-site"}
        add_target(runner, {"production": {"s3": {**s3, "addressing_style": "path"}}})

    values = {
        "secrets.AWS_ACCESS_KEY_ID": KEY_ID,
        "secrets.AWS_SECRET_ACCESS_KEY": SECRET,
        "github.run_id": "1",
    }
    actions: dict[str, Callable[[dict[str, Any]], None]] = {
        "actions/checkout": checkout,
        "actions/setup-python": lambda step: None,
        "actions/cache": lambda step: None,
    }
    runner.env["AWS_DEFAULT_REGION"] = "us-east-1"
    run_github_job(runner, job, values, actions)
    keys = {item["Key"] for item in client.list_objects_v2(Bucket="xindu-site")["Contents"]}
    built = {
        p.relative_to(runner.work / "build").as_posix()
        for p in (runner.work / "build").rglob("*")
        if p.is_file()
    }
    assert keys == (built - {".sitegen-output"}) | {".sitegen-deploy.json"}
    assert "news/2020/04/pujiang-visit/index.html" in keys


def agent_only(runner: Runner, sshd: Server, name: str) -> tuple[Path, str, dict[str, Any]]:
    """A home of the job's own, with no agent yet; the server's host key line
    (as ssh-keyscan gives it, for the recipe's known-hosts secret); and a
    target folder ``name`` on the server, reached with the agent's key only."""
    home = runner.tmp / "home"
    home.mkdir()
    runner.env["HOME"] = str(home)
    runner.env.pop("SSH_AUTH_SOCK", None)
    known = subprocess.run(
        ["ssh-keyscan", "-p", str(sshd.relay.address), "127.0.0.1"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    (sshd.folder / name).mkdir()
    target = sshd.target(name)["ssh"]
    del target["identity_file"]  # the key is in the agent, and nowhere else
    # ssh reads the known hosts of the account's home, not of $HOME
    target["ssh_options"] = [f"UserKnownHostsFile={home}/.ssh/known_hosts"]
    return home, known, target


def test_the_ssh_recipe_deploys_with_the_key_in_an_agent(tmp_path: Path, sshd: Server) -> None:
    recipe: dict[Any, Any] = yaml.safe_load(GITHUB_SSH.read_text(encoding="utf-8"))
    job = the_deploy_job(recipe)
    runner = Runner(tmp_path)
    _home, known, target = agent_only(runner, sshd, "from-ci")
    folder = sshd.folder / "from-ci"

    def checkout(step: dict[str, Any]) -> None:
        runner.checkout()
        add_target(runner, {"school-server": {"ssh": target}})

    agents: list[subprocess.Popen[bytes]] = []

    def ssh_agent(step: dict[str, Any]) -> None:  # what webfactory/ssh-agent does
        assert step["with"]["ssh-private-key"] == "${{ secrets.SSH_PRIVATE_KEY }}"
        socket_path = tmp_path / "agent.sock"
        agents.append(subprocess.Popen(["ssh-agent", "-D", "-a", str(socket_path)]))
        for _ in range(100):
            if socket_path.exists():
                break
            time.sleep(0.05)
        runner.env["SSH_AUTH_SOCK"] = str(socket_path)
        subprocess.run(
            ["ssh-add", "-q", "-"], input=sshd.key.read_bytes(), env=runner.env, check=True
        )

    values = {
        "secrets.SSH_KNOWN_HOSTS": known,
        "secrets.SSH_PRIVATE_KEY": "the key",
        "github.run_id": "1",
    }
    actions: dict[str, Callable[[dict[str, Any]], None]] = {
        "actions/checkout": checkout,
        "actions/setup-python": lambda step: None,
        "actions/cache": lambda step: None,
        "webfactory/ssh-agent": ssh_agent,
    }
    try:
        run_github_job(runner, job, values, actions)
    finally:
        for agent in agents:
            agent.terminate()
            agent.wait(10)
    assert_serves(folder, runner.work / "build")


def gitlab_deploy_job(recipe: dict[str, Any]) -> str:
    """The deploy job's shell, as GitLab runs it: the default before_script
    and the script, in one shell (what one line exports, the next sees)."""
    assert recipe["check"]["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    assert recipe["deploy"]["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert recipe["variables"]["GIT_DEPTH"] == 0
    return "\n".join([*recipe["default"]["before_script"], *recipe["deploy"]["script"]])


def test_the_gitlab_deploy_recipe_publishes_to_object_storage(
    tmp_path: Path, moto_port: int
) -> None:
    script = gitlab_deploy_job(yaml.safe_load(GITLAB_DEPLOY.read_text(encoding="utf-8")))
    client = boto3.client(
        "s3", endpoint_url=f"http://127.0.0.1:{moto_port}", region_name="us-east-1",
        aws_access_key_id=KEY_ID, aws_secret_access_key=SECRET,
    )  # fmt: skip
    client.create_bucket(Bucket="gitlab-site")
    runner = Runner(tmp_path)
    runner.checkout()
    s3 = {"endpoint": f"http://127.0.0.1:{moto_port}", "bucket": "gitlab-site"}
    add_target(runner, {"production": {"s3": {**s3, "addressing_style": "path"}}})
    # the project's protected CI/CD variables, and nothing else
    runner.env["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
    runner.env.pop("AWS_PROFILE", None)
    runner.env.update(
        {
            "AWS_ACCESS_KEY_ID": KEY_ID,
            "AWS_SECRET_ACCESS_KEY": SECRET,
            "AWS_DEFAULT_REGION": "us-east-1",
        }
    )
    runner.shell(script, {})
    keys = {item["Key"] for item in client.list_objects_v2(Bucket="gitlab-site")["Contents"]}
    built = {
        p.relative_to(runner.work / "build").as_posix()
        for p in (runner.work / "build").rglob("*")
        if p.is_file()
    }
    assert keys == (built - {".sitegen-output"}) | {".sitegen-deploy.json"}
    assert "install" in runner.apt_log.read_text()


def test_the_gitlab_deploy_recipe_publishes_to_a_server_with_the_key_in_an_agent(
    tmp_path: Path, sshd: Server
) -> None:
    script = gitlab_deploy_job(yaml.safe_load(GITLAB_DEPLOY.read_text(encoding="utf-8")))
    runner = Runner(tmp_path)
    home, known, target = agent_only(runner, sshd, "from-gitlab")
    folder = sshd.folder / "from-gitlab"
    runner.checkout()
    add_target(runner, {"production": {"ssh": target}})
    key = sshd.key.read_text(encoding="utf-8")
    runner.env.update({"SSH_PRIVATE_KEY": key.replace("\n", "\r\n"), "SSH_KNOWN_HOSTS": known})
    runner.shell(script + "\nssh-agent -k > /dev/null", {})  # the agent ends with the job
    assert_serves(folder, runner.work / "build")
    assert (home / ".ssh/known_hosts").read_text(encoding="utf-8") == known + "\n"
    secret = key.splitlines()[1]  # a line of the key itself
    for place in (runner.work, home):
        for path in place.rglob("*"):
            if path.is_file():
                assert secret.encode() not in path.read_bytes(), f"the key is in {path}"
