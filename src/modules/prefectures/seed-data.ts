// Reference data of the préfectures Séjour ships with. The first one: Hérault (34).
export interface PrefectureSeed {
  code: string;
  name: string;
  department_name: string;
  contact_email: string;
  hosts: string[];
  sites: { code: string; name: string; kind: 'prefecture' | 'sous-prefecture'; address: string; postal_code: string; city: string }[];
}

export const HERAULT: PrefectureSeed = {
  code: '34',
  name: "Préfecture de l'Hérault",
  department_name: 'Hérault',
  contact_email: 'pref-etrangers@herault.gouv.fr',
  hosts: [],
  sites: [
    { code: 'montpellier', name: 'Préfecture de Montpellier', kind: 'prefecture', address: '34 place des Martyrs de la Résistance', postal_code: '34062', city: 'Montpellier' },
    { code: 'beziers', name: 'Sous-préfecture de Béziers', kind: 'sous-prefecture', address: 'Boulevard Édouard Herriot', postal_code: '34500', city: 'Béziers' },
    { code: 'lodeve', name: 'Sous-préfecture de Lodève', kind: 'sous-prefecture', address: '1 rue de la Sous-Préfecture', postal_code: '34700', city: 'Lodève' },
  ],
};
