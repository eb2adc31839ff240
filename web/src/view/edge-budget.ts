/**
 * How many follows sigma draws. A GPU draws 50,000 thin lines per frame without noticing; a
 * browser without one (software WebGL: SwiftShader, llvmpipe) needs about a millisecond per
 * hundred, so it gets a small sample and the page stays interactive. `?edges=N|all` overrides.
 */
const GPU_BUDGET = 60_000;
const SOFTWARE_BUDGET = 4_000;

export interface RenderCapability {
  readonly renderer: string;
  readonly software: boolean;
}

export function renderCapability(): RenderCapability {
  const canvas = document.createElement('canvas');
  const gl = canvas.getContext('webgl2');
  if (!gl) return { renderer: 'none', software: true };
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return { renderer, software: /swiftshader|llvmpipe|softpipe|software|basic render/i.test(renderer) };
}

export function edgeBudget(capability: RenderCapability, override: string | null): number {
  if (override === 'all') return Number.POSITIVE_INFINITY;
  const n = Number(override);
  if (override !== null && Number.isInteger(n) && n >= 0) return n;
  return capability.software ? SOFTWARE_BUDGET : GPU_BUDGET;
}
