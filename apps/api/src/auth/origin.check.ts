/**
 * Cross-site request refusal for cookie-authenticated modes (session and
 * hybrid): a state-changing request (anything but GET/HEAD/OPTIONS), login
 * included, is refused with 403 when the browser says it is cross-site
 * (`Sec-Fetch-Site: cross-site`) or when its `Origin` names another host than
 * the request's Host. Ports are not compared: a proxy forwarding `Host $host`
 * (nginx) drops the port the browser put in Origin, and another port of the
 * same host is same-site for SameSite cookies anyway. Clients that send
 * neither header (load generators, curl) are not browsers and pass; SameSite
 * cookies are the second layer.
 */
import type { NextFunction, Request, Response } from 'express';
import { ApiError, sendError } from '../common/api-error';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function originCheck(req: Request, res: Response, next: NextFunction): void {
  if (SAFE_METHODS.has(req.method)) return next();
  const fetchSite = req.headers['sec-fetch-site'];
  const origin = req.headers.origin;
  const crossSite =
    fetchSite === 'cross-site' ||
    (origin !== undefined && hostOf(origin) !== hostOf(`http://${req.headers.host ?? ''}`));
  if (!crossSite) return next();
  sendError(
    res,
    new ApiError(403, 'forbidden', "cross-site request refused: send it from this site's own origin"),
  );
}

/** Host name of a URL, lower case, without port; null when it does not parse ("null" origins). */
function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname.toLowerCase() || null;
  } catch {
    return null;
  }
}
