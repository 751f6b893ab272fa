/**
 * The script's opening: requires, the model catalogue, paths of the on-disk model store, and reading installed
 * models. Verbatim script text (no template placeholders).
 */
export const STORE_PART = String.raw`'use strict';
// Simulated Ollama of a simulator instance: the CLI and, under 'ollama serve', the HTTP API.
const http = require('http');
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const os = require('os');

const VERSION = '0.5.7';
const DEFAULT_PORT = 11434;
const MiB = 1024 * 1024;
// The registry: what 'pull' can fetch. Weights are a few MiB of deterministic bytes.
const CATALOGUE = {
  'tinyllama:latest': { family: 'llama', parameterSize: '1.1B', quantization: 'Q4_0', weights: 3 * MiB },
  'llama3.2:1b': { family: 'llama', parameterSize: '1.2B', quantization: 'Q8_0', weights: 4 * MiB },
  'qwen2.5:0.5b': { family: 'qwen2', parameterSize: '494.03M', quantization: 'Q4_K_M', weights: 2 * MiB },
};
const TEMPLATE = '{{ if .System }}<|system|>\n{{ .System }}</s>\n{{ end }}<|user|>\n{{ .Prompt }}</s>\n<|assistant|>\n';
const PARAMS = '{"stop":["</s>"]}';

// ---------------------------------------------------------------------------------------------- common

function address() {
  let spec = (process.env.OLLAMA_HOST || '').trim().replace(/^https?:\/\//, '').replace(/\/+$/, '');
  let host = '127.0.0.1';
  let port = DEFAULT_PORT;
  if (spec) {
    const colon = spec.lastIndexOf(':');
    if (colon >= 0) {
      host = spec.slice(0, colon) || host;
      port = Number(spec.slice(colon + 1)) || DEFAULT_PORT;
    } else {
      host = spec;
    }
  }
  return { host: host.replace(/^\[|\]$/g, ''), port };
}

const ollamaHome = () => path.join(os.homedir(), '.ollama');
const modelsDir = () => process.env.OLLAMA_MODELS || path.join(ollamaHome(), 'models');
const blobPath = (digest) => path.join(modelsDir(), 'blobs', digest.replace(':', '-'));

/** 'tinyllama' → 'tinyllama:latest'; 'registry.ollama.ai/library/x:y' → 'x:y'. */
function normalize(name) {
  let n = String(name || '').trim().toLowerCase().replace(/^(https?:\/\/)?registry\.ollama\.ai\/(library\/)?/, '');
  if (n && !n.includes(':')) n += ':latest';
  return n;
}

function manifestPath(name) {
  const [model, tag] = name.split(':');
  return path.join(modelsDir(), 'manifests', 'registry.ollama.ai', 'library', model, tag);
}

const sha256 = (data) => 'sha256:' + crypto.createHash('sha256').update(data).digest('hex');

/** The deterministic weights of a catalogue model (AES-CTR keystream keyed by its name). */
function weights(name) {
  const key = crypto.createHash('sha256').update('ollama-weights:' + name).digest();
  const cipher = crypto.createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  return cipher.update(Buffer.alloc(CATALOGUE[name].weights));
}

// ---------------------------------------------------------------------------------------------- server

const loaded = new Map(); // name -> { since, expires }

function installedModels() {
  const root = path.join(modelsDir(), 'manifests', 'registry.ollama.ai', 'library');
  const out = [];
  let models = [];
  try {
    models = fs.readdirSync(root);
  } catch {
    return out;
  }
  for (const model of models) {
    let tags = [];
    try {
      tags = fs.readdirSync(path.join(root, model));
    } catch {
      continue;
    }
    for (const tag of tags) {
      const info = readModel(model + ':' + tag);
      if (info) out.push(info);
    }
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** An installed model's /api/tags entry (plus its weights blob), or null when not (completely) installed. */
function readModel(name) {
  let raw;
  let stat;
  try {
    raw = fs.readFileSync(manifestPath(name));
    stat = fs.statSync(manifestPath(name));
  } catch {
    return null;
  }
  let manifest;
  try {
    manifest = JSON.parse(raw.toString('utf8'));
  } catch {
    return null;
  }
  const layers = manifest.layers || [];
  const model = layers.find((l) => l.mediaType === 'application/vnd.ollama.image.model');
  if (!model || !fs.existsSync(blobPath(model.digest))) return null;
  const entry = CATALOGUE[name] || { family: 'llama', parameterSize: 'unknown', quantization: 'unknown' };
  return {
    name,
    model: name,
    modified_at: stat.mtime.toISOString(),
    size: layers.reduce((sum, l) => sum + l.size, 0),
    digest: sha256(raw).slice(7),
    details: {
      parent_model: '',
      format: 'gguf',
      family: entry.family,
      families: [entry.family],
      parameter_size: entry.parameterSize,
      quantization_level: entry.quantization,
    },
    weights: blobPath(model.digest),
  };
}

const publicEntry = (m) => {
  const { weights: _weights, ...rest } = m;
  return rest;
};

`;
