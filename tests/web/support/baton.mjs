// A real baton for a test: its own directory, configuration and free port
// (listen on port 0, the port read from its "listening" line), stopped
// with SIGTERM at the end.
import { execFile, spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const STARTUP_MS = 15000;

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the test through ctest`);
  return value;
}

/** The demo centre's shape, small: sales (alice), support (alice, carol),
 * and returns (dave), a pull queue; erin supervises. */
function configText({ dir, secret, webDir, console = '', extra = '' }) {
  return `
[server]
listen = "127.0.0.1:0"
threads = 2
drain_timeout_ms = 500
[auth]
secret = "${secret}"
[storage]
backend = "sqlite"
path = "${join(dir, 'baton.db')}"
durability = "os"
[routing]
default_queue = "sales"
[console]
dir = "${webDir}"
${console}
[[topics]]
id = "billing"
name = "Billing"
[[queues]]
id = "sales"
name = "Sales"
welcome_text = "Thanks for your interest! A sales agent will be with you soon."
[[queues]]
id = "support"
name = "Customer support"
[[queues]]
id = "returns"
name = "Returns desk"
mode = "pull"
[[agents]]
id = "alice"
name = "Alice"
queues = ["sales", "support"]
capacity = 3
[[agents]]
id = "carol"
name = "Carol"
queues = ["support"]
capacity = 2
[[agents]]
id = "dave"
name = "Dave"
queues = ["returns"]
capacity = 2
[[agents]]
id = "erin"
name = "Erin"
roles = ["supervisor"]
permissions = ["takeover", "supervise"]
${extra}`;
}

/** Starts the binary; resolves with the child and its port. */
function launch(config, env = {}) {
  // The tests' own BATON_* variables are no settings: baton would refuse them.
  const inherited = Object.entries(process.env).filter(([k]) => !k.startsWith('BATON_'));
  const child = spawn(required('BATON_BINARY'), ['--config', config], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...Object.fromEntries(inherited), ...env },
  });
  const output = { text: '' };
  const port = new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`baton did not start in time:\n${output.text}`)),
      STARTUP_MS,
    );
    const read = (chunk) => {
      output.text += chunk;
      const line = output.text.split('\n').find((l) => l.includes('listening'));
      const match = line && /port[=":]+(\d+)/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`baton exited with ${code}:\n${output.text}`));
    });
  });
  return { child, output, port };
}

function exited(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', resolve));
}

/** `extra`: TOML appended to the demo centre's (more agents, say). */
export async function startBaton({ extra = '' } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'baton-web-'));
  const secret = randomBytes(32).toString('hex');
  const config = join(dir, 'baton.toml');
  const webDir = required('BATON_WEB_DIR');
  await writeFile(config, configText({ dir, secret, webDir, extra }));
  let running = launch(config);
  const port = await running.port;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    wsUrl: `ws://127.0.0.1:${port}/v1/ws`,
    /** A token as `baton token` makes one (docs/protocol.md). */
    token(role, user, ttlSeconds = 3600) {
      const exp = Math.floor(Date.now() / 1000) + ttlSeconds;
      const sig = createHmac('sha256', secret)
        .update(`${role}\n${user}\n${exp}`)
        .digest('hex');
      return `${exp}.${sig}`;
    },
    log: () => running.output.text,
    /** What \`baton token --link\` prints for this server: a console URL
     * with the token in its fragment. The port is the one chosen at start,
     * given as the server.listen it would have been configured with. */
    link(role, user) {
      const inherited = Object.entries(process.env).filter(([k]) => !k.startsWith('BATON_'));
      const env = { ...Object.fromEntries(inherited), BATON_SERVER_LISTEN: `127.0.0.1:${port}` };
      const args = ['token', '--config', config, '--role', role, '--user', user, '--link'];
      return new Promise((resolve, reject) => {
        execFile(required('BATON_BINARY'), args, { env }, (err, stdout, stderr) => {
          if (err) reject(new Error(`baton token failed: ${stderr}`));
          else resolve(stdout.trim());
        });
      });
    },
    /** Rewrites the [console] section's other keys and reloads (SIGHUP);
     * resolves once baton says the new configuration is in force. */
    async reconfigureConsole(keys) {
      await writeFile(config, configText({ dir, secret, webDir, console: keys, extra }));
      const reloads = () => running.output.text.split('configuration reloaded').length;
      const before = reloads();
      running.child.kill('SIGHUP');
      await new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no reload:\n${running.output.text}`)), STARTUP_MS);
        const check = () => {
          if (reloads() === before) return;
          clearTimeout(timer);
          running.child.stderr.off('data', check);
          running.child.stdout.off('data', check);
          resolve();
        };
        running.child.stderr.on('data', check);
        running.child.stdout.on('data', check);
        check();
      });
    },
    /** Kills the process, as a crash would; `start` brings it back. */
    async crash() {
      const { child } = running;
      child.kill('SIGKILL');
      await exited(child);
    },
    /** The same configuration, database and port again. */
    async start() {
      running = launch(config, { BATON_SERVER_LISTEN: `127.0.0.1:${port}` });
      await running.port;
    },
    async stop() {
      const { child } = running;
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited(child);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
