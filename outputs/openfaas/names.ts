// Kubernetes object names in the keys that build a URL path: a typo with "/" or a space would
// reach another path, so it is a startup problem naming the key.
import { z } from '../../src/plugin/index.ts';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * A DNS-1123 label (namespaces, services, functions), with falcosidekick's default. "" is allowed
 * only where it is the default (the keys that turn the output on); elsewhere it would make a URL
 * such as http://gateway.:8080, so it is a startup problem.
 */
export function kubeName(fallback: string, description: string) {
  const name = z.string().regex(DNS_LABEL, 'must be a Kubernetes name (lower-case letters, digits and "-", at most 63)');
  return (fallback === '' ? name.or(z.literal('')) : name).default(fallback).describe(description);
}

/** A TCP port, with falcosidekick's default. */
export function port(fallback: number, description: string) {
  return z.number().int().min(1).max(65535).default(fallback).describe(description);
}

export const kubeconfigKey = () =>
  z
    .string()
    .default('')
    .describe(
      'Path of a kubeconfig file: when set, requests go through the Kubernetes API server\'s service proxy with its current context\'s server, CA, and token, tokenFile or client certificate (exec plugins, auth-provider and username/password are not supported). "" = straight to the in-cluster Service URL.',
    );
