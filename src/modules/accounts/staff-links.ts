// Links shown on the staff home page (/agent). Other modules push their entry once at start:
//   STAFF_LINKS.push({ href: '/agent/dossiers', labelKey: 'dossiers.staff_queue' });
// Optional `roles` restricts a link to some staff roles (default: every staff role).
import type { StaffRole } from '../../shared/auth/guards';

export interface StaffLink {
  href: string;
  labelKey: string;
  roles?: StaffRole[];
}

export const STAFF_LINKS: StaffLink[] = [];
