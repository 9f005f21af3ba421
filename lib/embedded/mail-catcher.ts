import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/**
 * MailDev: a real SMTP server that keeps what it receives and shows it in a web inbox (and a REST
 * API the tests read). Run as a child process so its ES-module code stays out of ours.
 */
export interface EmbeddedMailCatcher {
  smtpUrl: string;
  webUrl: string;
  stop(): Promise<void>;
}

export async function startMailCatcher(options: {
  dataDir: string;
  smtpPort: number;
  webPort: number;
  logFile: string;
}): Promise<EmbeddedMailCatcher> {
  const mailDir = path.join(options.dataDir, 'mail');
  fs.mkdirSync(mailDir, { recursive: true });
  // maildev exports no CommonJS entry nor its package.json: find its CLI in our node_modules.
  const bin = path.resolve(__dirname, '..', '..', 'node_modules', 'maildev', 'dist', 'bin', 'maildev.js');
  const log = fs.openSync(options.logFile, 'a');
  const child = spawn(
    process.execPath,
    [bin, '--smtp', String(options.smtpPort), '--web', String(options.webPort), '--ip', '127.0.0.1',
      '--web-ip', '127.0.0.1', '--mail-directory', mailDir],
    { stdio: ['ignore', log, log] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await Promise.all([waitForPort(options.smtpPort, child), waitForPort(options.webPort, child)]);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    smtpUrl: `smtp://127.0.0.1:${options.smtpPort}`,
    webUrl: `http://127.0.0.1:${options.webPort}`,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      fs.closeSync(log);
    },
  };
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`MailDev s'est arrêté (code ${child.exitCode}) : port ${port} déjà pris ?`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`MailDev n'écoute pas sur le port ${port} après ${timeoutMs / 1000} s`);
}
