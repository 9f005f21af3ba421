import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';

const REPO = path.resolve(__dirname, '..', '..');
/** What the workflow bundle is built from: the workflows and the pure rules they import. */
const WORKFLOW_SOURCES = ['workflows', 'domain'];
const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

const git = (...args: string[]) => execFileSync('git', args, { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/** A workflow code tree in a folder of its own, and what it is, said in the drill's output. */
export interface ReleaseTree {
  dir: string;
  description: string;
}

/**
 * The previous release's ref: `--from=<ref>` (DRILL_FROM_REF), else the newest tag `v*` reachable
 * from HEAD (releases are tagged, docs/operations/releases.md), else HEAD itself, said so.
 */
export function previousReleaseRef(): { ref: string; commit: string; why: string } {
  const given = process.argv.find((a) => a.startsWith('--from='))?.slice('--from='.length) || process.env.DRILL_FROM_REF;
  let ref = given;
  let why = 'given with --from / DRILL_FROM_REF';
  if (!ref) {
    const tag = (() => {
      try {
        return git('describe', '--tags', '--abbrev=0', '--match', 'v*', 'HEAD');
      } catch {
        return '';
      }
    })();
    ref = tag || 'HEAD';
    why = tag ? 'the newest release tag reachable from HEAD' : 'no release tag (v*) reachable from HEAD: the last commit stands for the previous release';
  }
  const commit = git('rev-parse', '--verify', `${ref}^{commit}`);
  return { ref, commit, why };
}

/** The workflow code of `ref` (git archive of workflows/ and domain/) in `dir`. */
export function exportRelease(ref: string, commit: string, dir: string): ReleaseTree {
  fs.mkdirSync(dir, { recursive: true });
  const tar = execFileSync('git', ['archive', '--format=tar', commit, ...WORKFLOW_SOURCES], { cwd: REPO, maxBuffer: 256 * 1024 * 1024 });
  execFileSync('tar', ['-x', '-C', dir], { input: tar });
  linkNodeModules(dir);
  return { dir, description: `${ref} (${commit.slice(0, 10)}), workflows/ and domain/ by git archive` };
}

/** The working tree's workflow code, copied into `dir`. */
export function copyWorkingTree(dir: string): ReleaseTree {
  fs.mkdirSync(dir, { recursive: true });
  for (const source of WORKFLOW_SOURCES) fs.cpSync(path.join(REPO, source), path.join(dir, source), { recursive: true });
  linkNodeModules(dir);
  const dirty = git('status', '--porcelain', '--', ...WORKFLOW_SOURCES) !== '';
  return { dir, description: `the working tree (HEAD ${git('rev-parse', '--short=10', 'HEAD')}${dirty ? ', with uncommitted changes' : ''})` };
}

/** Applies a patch (paths from the repository's root, `git apply` format) to a tree; throws if it does not apply. */
export function applyPatch(tree: ReleaseTree, patchFile: string, edit?: (text: string) => string): ReleaseTree {
  const text = fs.readFileSync(patchFile, 'utf8');
  const patch = path.join(tree.dir, '..', `${path.basename(tree.dir)}.patch`);
  fs.writeFileSync(patch, edit ? edit(text) : text);
  try {
    execFileSync('git', ['apply', '--whitespace=nowarn', patch], { cwd: tree.dir, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? String(error);
    throw new Error(`${path.relative(REPO, patchFile)} no longer applies to the current workflow code; refresh it (docs/operations/releases.md):\n${stderr}`);
  }
  return { dir: tree.dir, description: `${tree.description} + ${path.relative(REPO, patchFile)}` };
}

/** Files of workflows/ and domain/ that differ between `commit` and the working tree (git diff --stat). */
export function changedSince(commit: string): string {
  return git('diff', '--stat', commit, '--', ...WORKFLOW_SOURCES) || 'no difference';
}

/** The tree's workflow bundle written to `<dir>.bundle.js` (a worker loads it from there). */
export async function bundleTree(tree: ReleaseTree): Promise<{ codePath: string; code: string }> {
  const bundle = await bundleWorkflowCode({ workflowsPath: path.join(tree.dir, 'workflows', 'index.ts'), logger: quiet });
  const codePath = `${tree.dir}.bundle.js`;
  fs.writeFileSync(codePath, bundle.code);
  return { codePath, code: bundle.code };
}

// The tree outside the repository resolves @temporalio/* from the repository's dependencies.
function linkNodeModules(dir: string): void {
  const link = path.join(dir, 'node_modules');
  if (!fs.existsSync(link)) fs.symlinkSync(fs.realpathSync(path.join(REPO, 'node_modules')), link, 'dir');
}
