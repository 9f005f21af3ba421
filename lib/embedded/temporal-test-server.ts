import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { isExecutable, userCacheDir } from './user-cache';

/**
 * Temporal's time-skipping test server (the Java one: the SDK would download it, which cannot
 * happen here). It lets a test run the programme's real rhythm — days, months, a year of watch —
 * in seconds. We never commit or vendor its 38 MB of jars: Maven fetches them once per user and
 * version from Maven Central into a cache folder, next to a small wrapper script that the SDK's
 * `createTimeSkipping({ server: { executable: { type: 'existing-path', path } } })` runs.
 */
export const TEMPORAL_TEST_SERVER_VERSION = '1.38.0';
/** The server logs through SLF4J: without a binding it prints a warning at each start. */
const SLF4J_NOP_VERSION = '2.0.17';
/** Pinned so that a Maven run never asks the registry which plugin version is the newest. */
const DEPENDENCY_PLUGIN_VERSION = '3.8.1';
const MAIN_CLASS = 'io.temporal.testserver.TestServer';
const WRAPPER = 'test-server';

export function temporalTestServerCacheDir(): string {
  return userCacheDir('temporal-test-server', TEMPORAL_TEST_SERVER_VERSION);
}


function hasCommand(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

/** A throw-away project whose only purpose is to name the jars to fetch. */
function throwAwayPom(): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>april.local</groupId>
  <artifactId>temporal-test-server-fetch</artifactId>
  <version>0</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>io.temporal</groupId>
      <artifactId>temporal-test-server</artifactId>
      <version>${TEMPORAL_TEST_SERVER_VERSION}</version>
    </dependency>
    <dependency>
      <groupId>org.slf4j</groupId>
      <artifactId>slf4j-nop</artifactId>
      <version>${SLF4J_NOP_VERSION}</version>
    </dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-dependency-plugin</artifactId>
        <version>${DEPENDENCY_PLUGIN_VERSION}</version>
      </plugin>
    </plugins>
  </build>
</project>
`;
}

/**
 * Finds the jars next to the script itself, so the folder stays valid after the rename that
 * publishes it. A quick JIT and the serial collector: the server is up in about a second.
 */
function wrapperScript(): string {
  return `#!/bin/sh
# Temporal time-skipping test server ${TEMPORAL_TEST_SERVER_VERSION}, written by lib/embedded/temporal-test-server.ts.
# Arguments: <port> [--enable-time-skipping]
here=$(cd "$(dirname "$0")" && pwd)
exec java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$here/lib/*" ${MAIN_CLASS} "$@"
`;
}

async function mavenFetch(targetDir: string, log: (line: string) => void): Promise<void> {
  // Fetch into a scratch folder and rename it at the end: an interrupted download never leaves a
  // half-filled folder that a later run would take for a good one.
  const scratch = fs.mkdtempSync(path.join(path.dirname(targetDir), '.build-'));
  log(`Téléchargement du serveur de test Temporal ${TEMPORAL_TEST_SERVER_VERSION} avec Maven (environ 40 Mo, une seule fois)…`);
  const started = Date.now();
  const ticker = setInterval(() => log(`  … téléchargement en cours (${Math.round((Date.now() - started) / 1000)} s)`), 30_000);
  try {
    fs.writeFileSync(path.join(scratch, 'pom.xml'), throwAwayPom());
    await new Promise<void>((resolve, reject) => {
      const child = spawn('mvn', [
        '-q', '-B', '-f', path.join(scratch, 'pom.xml'),
        'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${path.join(scratch, 'lib')}`,
      ], { cwd: scratch, stdio: ['ignore', 'pipe', 'pipe'] });
      // Maven is quiet when all goes well; its words (terminal escapes included) matter only on failure.
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('error', reject);
      child.on('exit', (code) => (code === 0
        ? resolve()
        : reject(new Error(`mvn dependency:copy-dependencies a échoué (code ${code}) :\n${output.trim()}`))));
    });
    const jars = fs.readdirSync(path.join(scratch, 'lib')).filter((name) => name.endsWith('.jar'));
    if (!jars.some((name) => name.startsWith('temporal-test-server-'))) {
      throw new Error('Maven a terminé sans fournir temporal-test-server : dossier incomplet, rien n\'est conservé');
    }
    fs.rmSync(path.join(scratch, 'pom.xml'));
    fs.writeFileSync(path.join(scratch, WRAPPER), wrapperScript(), { mode: 0o755 });
    fs.chmodSync(scratch, 0o755);
    try {
      fs.renameSync(scratch, targetDir);
    } catch (error) {
      // Another process published the same version meanwhile: its copy is as good as ours.
      if (!isExecutable(path.join(targetDir, WRAPPER))) throw error;
    }
    log(`Serveur de test Temporal prêt en ${Math.round((Date.now() - started) / 1000)} s (${jars.length} jars) : ${path.join(targetDir, WRAPPER)}`);
  } finally {
    clearInterval(ticker);
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * The path of the wrapper script that starts the time-skipping test server, fetching its jars
 * first if this user has not got them yet; undefined when Java or Maven is missing.
 */
export async function ensureTemporalTestServer(log: (line: string) => void = (line) => console.log(line)): Promise<string | undefined> {
  const dir = temporalTestServerCacheDir();
  const wrapper = path.join(dir, WRAPPER);
  if (isExecutable(wrapper)) return wrapper;
  if (!hasCommand('java', ['-version'])) {
    log('Java est absent : le serveur de test Temporal (saut dans le temps) ne peut pas être fourni.');
    return undefined;
  }
  if (!hasCommand('mvn', ['-v'])) {
    log('Maven est absent : le serveur de test Temporal (saut dans le temps) ne peut pas être téléchargé.');
    return undefined;
  }
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  // A folder without its wrapper is left over from an older layout: start again from scratch.
  if (fs.existsSync(dir)) fs.rmSync(dir, { recursive: true, force: true });
  await mavenFetch(dir, log);
  return wrapper;
}
