// Route guards. Pages redirect to the login page; the API answers 401/403 problem+json.
// Staff pages also require a session verified with TOTP (enrolment at first login).
import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors';
import type { CurrentUser } from '../web/context';

export class RedirectToLogin extends Error {
  constructor(public readonly next: string) {
    super('login required');
  }
}

export class RedirectTo extends Error {
  constructor(public readonly location: string) {
    super('redirect');
  }
}

function isApi(req: FastifyRequest) {
  return req.url.startsWith('/api/');
}

export function requireUser(req: FastifyRequest): CurrentUser {
  const user = req.ctx.user;
  if (!user) {
    if (isApi(req)) throw new AppError('unauthenticated');
    throw new RedirectToLogin(req.ctx.path);
  }
  return user;
}

export function requireApplicant(req: FastifyRequest): CurrentUser {
  const user = requireUser(req);
  if (user.role !== 'applicant') throw new AppError('forbidden');
  return user;
}

export type StaffRole = 'agent' | 'supervisor' | 'admin';

export function requireStaff(req: FastifyRequest, roles: StaffRole[] = ['agent', 'supervisor', 'admin']): CurrentUser {
  const user = requireUser(req);
  if (user.role === 'applicant') throw new AppError('forbidden');
  if (!req.ctx.session?.mfaVerified) {
    if (isApi(req)) throw new AppError('mfa_required', 'errors.mfa_required');
    throw new RedirectTo('/agent/double-authentification');
  }
  if (!roles.includes(user.role)) throw new AppError('forbidden');
  return user;
}
