// First-come-first-served counters, public side: the published free slots
// (/rendez-vous/creneaux-libres and GET /api/v1/fcfs-slots). Booking one goes through the
// ordinary filing form and API (slot_id), so the same identity rules, proof of work, risk
// signals and rate limits apply (front-file-request.ts, fcfs-slots.ts).
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../shared/deps';
import { formatDateTime } from '../../shared/i18n';
import { Layout } from '../../shared/web/layout';
import { sendHtml } from '../../shared/web/render';
import { listFcfsSlots } from './fcfs-slots';

const K = (k: string) => `appointments.fcfs.${k}`;

export async function appointmentsFcfsRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  app.get('/rendez-vous/creneaux-libres', async (req, reply) => {
    const { t, locale } = req.ctx;
    const slots = await listFcfsSlots(deps.db, req.ctx.prefecture.id);
    return sendHtml(
      reply,
      <Layout ctx={req.ctx} title={t(K('title'))}>
        <h1>{t(K('title'))}</h1>
        <p class="fr-text--lead">{t(K('intro'))}</p>
        {slots.length === 0 ? (
          <p id="fcfs-empty">{t(K('empty'))}</p>
        ) : (
          <div class="fr-table">
            <table>
              <caption>{t(K('title'))}</caption>
              <thead>
                <tr>
                  <th scope="col">{t(K('col_when'))}</th>
                  <th scope="col">{t(K('col_where'))}</th>
                  <th scope="col">{t(K('col_free'))}</th>
                  <th scope="col">{t(K('col_book'))}</th>
                </tr>
              </thead>
              <tbody>
                {slots.map((s) => (
                  <tr data-slot-id={s.slot_id}>
                    <td>{formatDateTime(locale, s.starts_at)}</td>
                    <td>
                      {s.site_name} — {s.counter_name} ({t(`appointments.type_${s.counter_type}`)})
                    </td>
                    <td>{s.free}</td>
                    <td>
                      <a href={`/rendez-vous/demande?creneau=${s.slot_id}`}>{t(K('book'))}</a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Layout>,
    );
  });

  api.get(
    '/api/v1/fcfs-slots',
    {
      schema: {
        tags: ['appointments'],
        summary: 'Published free slots of first-come-first-served counters (book one with POST /api/v1/appointment-requests and slot_id)',
        response: {
          200: z.array(z.object({ slot_id: z.string(), starts_at: z.string(), site_id: z.string(), site_name: z.string(), counter_name: z.string(), counter_type: z.string(), free: z.number() })),
        },
      },
    },
    async (req) =>
      (await listFcfsSlots(deps.db, req.ctx.prefecture.id)).map((s) => ({
        slot_id: s.slot_id,
        starts_at: s.starts_at.toISOString(),
        site_id: s.site_id,
        site_name: s.site_name,
        counter_name: s.counter_name,
        counter_type: s.counter_type,
        free: s.free,
      })),
  );
}
