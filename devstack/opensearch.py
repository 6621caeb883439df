"""OpenSearch 2.19 assembled from Maven Central jars into an OPENSEARCH_HOME and run on the machine's JDK.

There is no distribution tarball on Maven Central, so `install` rebuilds its layout: the server and its
dependencies in lib/, each module with its own jars, descriptor and security policy in modules/<name>/.
Only the modules the app needs are included; the security plugin is not among them.
"""

import json
import os
import textwrap
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path

from devstack.layout import Address, address_of
from devstack.maven import maven_install
from devstack.process import StackError
from devstack.service import Service

VERSION = "2.19.6"  # the newest 2.19 that still runs on Java 17, the JDK this machine has
HEAP = "512m"
# OpenSearch refuses to start as root, and learns it is root through JNA's native library. Natives serve
# only production bootstrap checks (mlockall, seccomp), so CI containers running as root go without them.
_AS_ROOT = ["-Djna.noclasspath=true", "-Djna.nosys=true"]


# The server; its optional dependencies (not transitive in Maven) are in the distribution's lib/ too.
CORE = [
    ("org.opensearch", "opensearch", VERSION),
    ("org.opensearch", "opensearch-plugin-classloader", VERSION),
    ("org.apache.logging.log4j", "log4j-core", "2.25.4"),
    ("org.locationtech.spatial4j", "spatial4j", "0.7"),
    ("org.locationtech.jts", "jts-core", "1.15.0"),
]


class Module:
    def __init__(self, name: str, artifact: str, classname: str, *, extends: str = "", policy: str = "") -> None:
        self.name, self.artifact, self.classname, self.extends = name, artifact, classname, extends
        self.policy = textwrap.dedent(policy).strip()


# Policies copied from each module's src/main/plugin-metadata/plugin-security.policy at the same tag.
MODULES = [
    Module(
        "transport-netty4",
        "transport-netty4-client",
        "org.opensearch.transport.Netty4Plugin",
        policy="""
            grant {
              permission java.io.FilePermission "/proc/sys/net/core/somaxconn", "read";
              permission java.net.SocketPermission "*", "accept,connect";
              permission java.lang.RuntimePermission "*", "setContextClassLoader";
              permission java.lang.RuntimePermission "getClassLoader";
              permission java.util.PropertyPermission "sun.nio.ch.bugLevel", "write";
            };
        """,
    ),
    Module(
        "lang-painless",
        "lang-painless",
        "org.opensearch.painless.PainlessPlugin",
        policy="""
            grant {
              permission java.lang.RuntimePermission "createClassLoader";
              permission java.lang.RuntimePermission "getClassLoader";
            };
        """,
    ),
    # english stemmer, asciifolding, custom analyzers; it adds painless whitelists, hence `extends`
    Module(
        "analysis-common",
        "analysis-common",
        "org.opensearch.analysis.common.CommonAnalysisPlugin",
        extends="lang-painless",
    ),
    # search_as_you_type, scaled_float, rank_feature field types
    Module("mapper-extras", "mapper-extras-client", "org.opensearch.index.mapper.MapperExtrasPlugin"),
]


class OpenSearchService(Service):
    name = "opensearch"
    startup_timeout_s = 180.0

    @property
    def address(self) -> Address:
        return address_of(self.settings.opensearch_url, 9200)

    @property
    def transport_port(self) -> int:
        return self.settings.opensearch_transport_port

    @property
    def home(self) -> Path:
        return self.paths.cache / f"opensearch-{VERSION}"

    def install(self) -> None:
        units = {"lib": CORE}
        units |= {f"modules/{m.name}": [("org.opensearch.plugin", m.artifact, VERSION)] for m in MODULES}
        maven_install(
            self.home,
            VERSION,
            units,
            m2=self.paths.cache / "m2",
            log_file=self.log_file,
            timeout_s=1200,
            finish=_assemble_modules,
        )

    def argv(self) -> Sequence[str]:
        config = self._write_config()
        tmp = self.data_dir / "tmp"
        tmp.mkdir(exist_ok=True)
        return [
            "java",
            f"-Xms{HEAP}", f"-Xmx{HEAP}",
            "-XX:+UseG1GC",
            "-XX:-OmitStackTraceInFastThrow",
            "-Xshare:auto",
            # the JVM options OpenSearch's launcher adds for every install
            "-Dio.netty.noUnsafe=true",
            "-Dio.netty.noKeySetOptimization=true",
            "-Dio.netty.recycler.maxCapacityPerThread=0",
            "-Dio.netty.allocator.numDirectArenas=0",
            "-Dlog4j.shutdownHookEnabled=false",
            "-Dlog4j2.disable.jmx=true",
            "-Dlog4j2.formatMsgNoLookups=true",
            "-Djava.locale.providers=SPI,COMPAT",
            "-Dfile.encoding=UTF-8",
            f"-Djava.io.tmpdir={tmp}",
            f"-Dopensearch.path.home={self.home}",
            f"-Dopensearch.path.conf={config}",
            "-Dopensearch.distribution.type=tar",
            "-Dopensearch.bundled_jdk=false",
            *(_AS_ROOT if os.geteuid() == 0 else []),
            "-cp", f"{self.home / 'lib'}/*",
            "org.opensearch.bootstrap.OpenSearch",
        ]  # fmt: skip

    def _write_config(self) -> Path:
        """Rewritten on every start so that a changed port in the settings takes effect."""
        config = self.data_dir / "config"
        config.mkdir(parents=True, exist_ok=True)
        (config / "opensearch.yml").write_text(
            textwrap.dedent(f"""\
                cluster.name: migratio-local
                node.name: local
                discovery.type: single-node
                network.host: {self.address.host}
                http.port: {self.address.port}
                transport.port: {self.transport_port}
                path.data: {self.data_dir / "data"}
                path.logs: {self.data_dir / "logs"}
                # tests run on disks of every fill level; a full-ish disk must not make indices read-only
                cluster.routing.allocation.disk.threshold_enabled: false
                action.destructive_requires_name: false
            """)
        )
        (config / "log4j2.properties").write_text(_LOG4J2)
        return config

    def is_healthy(self) -> bool:
        url = f"http://{self.address}/_cluster/health"
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return json.load(response).get("status") in ("yellow", "green")
        except (OSError, ValueError, urllib.error.URLError):
            return False


def _assemble_modules(home: Path) -> None:
    """Drop jars a module shares with lib/ or with the module it extends, describe each module, add plugins/."""
    core = {jar.name for jar in (home / "lib").glob("*.jar")}
    by_name = {m.name: m for m in MODULES}
    for module in MODULES:
        directory = home / "modules" / module.name
        parent = home / "modules" / module.extends if module.extends else None
        inherited = core | ({jar.name for jar in parent.glob("*.jar")} if parent else set())
        for jar in directory.glob("*.jar"):
            if jar.name in inherited:
                jar.unlink()
        descriptor = {
            "description": f"{module.name} module",
            "version": VERSION,
            "name": module.name,
            "classname": module.classname,
            "java.version": "11",
            "opensearch.version": VERSION,
        }
        if module.extends:
            descriptor["extended.plugins"] = module.extends
        (directory / "plugin-descriptor.properties").write_text(
            "".join(f"{key}={value}\n" for key, value in descriptor.items())
        )
        if module.policy:
            (directory / "plugin-security.policy").write_text(module.policy + "\n")
    if not all((home / "modules" / name).is_dir() for name in by_name):
        raise StackError("Maven did not produce every OpenSearch module")
    (home / "plugins").mkdir()


_LOG4J2 = """\
status = error
appender.console.type = Console
appender.console.name = console
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d{ISO8601}][%-5p][%-25c{1.}] [%node_name]%marker %m%n
rootLogger.level = info
rootLogger.appenderRef.console.ref = console
"""
