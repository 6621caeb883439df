"""Installs assembled from Maven Central jars: one `mvn dependency:copy-dependencies` run into a staging
directory, renamed into place only once complete, so an interrupted install is redone, never half-used."""

import shutil
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from devstack.process import StackError, run_logged

Artifact = tuple[str, str, str]
"""groupId, artifactId, version."""


def maven_install(
    home: Path,
    version: str,
    units: Mapping[str, Sequence[Artifact]],
    *,
    m2: Path,
    log_file: Path,
    timeout_s: float,
    finish: Callable[[Path], None],
) -> None:
    """Copy each unit's runtime jars into `<home>/<unit>`, then `finish(staging)` checks or completes the layout.

    Skipped when `home` holds the `.complete` marker of an earlier run."""
    missing = [tool for tool in ("java", "mvn") if shutil.which(tool) is None]
    if missing:
        raise StackError(f"{' and '.join(missing)} not found: `apt-get install openjdk-17-jdk-headless maven`")
    if (home / ".complete").is_file():
        return
    staging = home.with_name(home.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    build = staging / "maven"
    for directory, artifacts in units.items():
        _write_pom(build / directory.replace("/", "-"), staging / directory, artifacts)
    aggregator = _write_pom(build, build / "unused", [], modules=[d.replace("/", "-") for d in units])
    run_logged(
        [
            "mvn",
            "--batch-mode", "--no-transfer-progress",
            f"-Dmaven.repo.local={m2}",
            "-f", str(aggregator),
            "dependency:copy-dependencies",
        ],
        log_file=log_file,
        timeout_s=timeout_s,
    )  # fmt: skip
    shutil.rmtree(build)
    finish(staging)
    (staging / ".complete").write_text(version + "\n")
    shutil.rmtree(home, ignore_errors=True)
    staging.rename(home)


def _write_pom(project: Path, output: Path, artifacts: Sequence[Artifact], modules: Sequence[str] = ()) -> Path:
    project.mkdir(parents=True, exist_ok=True)
    dependencies = "".join(
        f"<dependency><groupId>{group}</groupId><artifactId>{artifact}</artifactId>"
        f"<version>{version}</version></dependency>"
        for group, artifact, version in artifacts
    )
    plugin = (
        "<build><plugins><plugin><groupId>org.apache.maven.plugins</groupId>"
        "<artifactId>maven-dependency-plugin</artifactId><version>3.8.1</version>"
        f"<configuration><outputDirectory>{output}</outputDirectory><includeScope>runtime</includeScope>"
        "</configuration></plugin></plugins></build>"
    )
    children = "".join(f"<module>{module}</module>" for module in modules)
    body = f"<modules>{children}</modules><dependencies>{dependencies}</dependencies>{plugin}"
    pom = project / "pom.xml"
    pom.write_text(_POM.format(artifact=project.name, body=body))
    return pom


_POM = """<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.devstack</groupId>
  <artifactId>{artifact}</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  {body}
</project>
"""
