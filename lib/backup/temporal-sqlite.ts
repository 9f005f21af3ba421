import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

/**
 * The embedded Temporal dev server keeps everything (histories, visibility, schedules) in one
 * SQLite file, in write-ahead-log mode (lib/embedded/temporal-server.ts). A live SQLite file cannot
 * be copied byte for byte safely (a write may land midway); `VACUUM INTO` through the `sqlite3`
 * shell (Debian package `sqlite3`) writes one consistent state, read in a single transaction that
 * the server's writes never wait for (WAL). When the server is stopped, a plain copy is as good.
 */
export function sqliteShell(): string | undefined {
  const found = spawnSync('sqlite3', ['-version'], { encoding: 'utf8' });
  return found.status === 0 ? 'sqlite3' : undefined;
}

export function listening(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

export async function copyTemporalSqlite(source: string, target: string, serverPort: number): Promise<{ method: string }> {
  if (!fs.existsSync(source)) throw new Error(`Fichier de Temporal introuvable : ${source}`);
  const shell = sqliteShell();
  if (shell) {
    // A file from before the switch to WAL is in rollback-journal mode: wait for the server's locks.
    const result = spawnSync(shell, [source, '.timeout 60000', `VACUUM INTO '${target.replace(/'/g, "''")}'`], { encoding: 'utf8', timeout: 10 * 60_000 });
    if (result.status !== 0 || result.stderr) throw new Error(`sqlite3 VACUUM INTO a échoué : ${result.stderr || result.stdout}`);
    return { method: 'sqlite3 VACUUM INTO (online, one transaction)' };
  }
  if (await listening(serverPort)) {
    throw new Error(
      'Le serveur Temporal embarqué tourne et la commande sqlite3 est absente : une copie de son fichier ne serait pas cohérente. ' +
        'Installez sqlite3 (apt-get install sqlite3) ou arrêtez le produit avant la sauvegarde.',
    );
  }
  // Stopped server: its last checkpoint may leave a write-ahead log beside the file; keep both.
  fs.copyFileSync(source, target);
  for (const suffix of ['-wal', '-shm']) if (fs.existsSync(source + suffix)) fs.copyFileSync(source + suffix, target + suffix);
  return { method: 'file copy (server stopped)' };
}
