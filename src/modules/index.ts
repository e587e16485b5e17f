// Every domain module registers its routes here, one line each.
import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../shared/deps';
import { accountsRoutes } from './accounts/routes';
import { appointmentsRoutes } from './appointments/routes';
import { appointmentsRequestRoutes } from './appointments/routes-requests';
import { appointmentsCounterRoutes } from './appointments/routes-counter';
import { appointmentsFcfsRoutes } from './appointments/routes-fcfs';
import { documentsRoutes } from './documents/routes';
import { queuesRoutes } from './queues/routes';
import { dossiersRoutes } from './dossiers/routes';
import { instructionRoutes } from './instruction/routes';
import { systemRoutes } from './system/routes';
import { verificationRoutes } from './verification/routes';

export type ModulePlugin = FastifyPluginAsync<{ deps: AppDeps }>;

// One entry per line, so that modules added in parallel merge without conflict.
export const MODULES: ModulePlugin[] = [
  systemRoutes,
  accountsRoutes,
  documentsRoutes,
  dossiersRoutes,
  appointmentsRoutes,
  appointmentsRequestRoutes,
  appointmentsCounterRoutes,
  appointmentsFcfsRoutes,
  verificationRoutes,
  instructionRoutes,
  queuesRoutes,
];
