import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';

interface Policy {
  minLength: number;
  minClasses: number;
  maxAgeDays: number;
}

/**
 * A minimal page until the PWA lands: it says what Nyckel is and shows the live policy, so
 * a person who opens the local app sees that the worker and the API answer.
 */
function App() {
  const [policy, setPolicy] = useState<Policy | null>(null);
  const [internal, setInternal] = useState<boolean | null>(null);

  useEffect(() => {
    fetch('/api/policy')
      .then((r) => r.json() as Promise<Policy>)
      .then(setPolicy)
      .catch(() => setPolicy(null));
    fetch('/api/network')
      .then((r) => r.json() as Promise<{ internal: boolean }>)
      .then((n) => setInternal(n.internal))
      .catch(() => setInternal(null));
  }, []);

  return (
    <main>
      <h1>Nyckel</h1>
      <p>
        Här registrerar du mobilnummer och byter lösenord för enhetens brevlåda, med en säkerhetskod
        på sms.
      </p>
      {internal === true && (
        <p class="notice" role="status">
          Du verkar vara ansluten till kommunens nätverk. Registrering av mobilnummer måste göras
          via mobildata: stäng av wifi och ladda om sidan.
        </p>
      )}
      {policy && (
        <section aria-labelledby="policy-heading">
          <h2 id="policy-heading">Krav på lösenord</h2>
          <ul>
            <li>Minst {policy.minLength} tecken.</li>
            <li>
              Minst {policy.minClasses} av 4: versaler A–Z, gemener a–z, siffror, specialtecken (Å,
              Ä och Ö räknas inte).
            </li>
            <li>Ett tidigare lösenord kan inte användas igen.</li>
            <li>Lösenordet byts var {Math.round(policy.maxAgeDays / 30)}:e månad.</li>
          </ul>
        </section>
      )}
      <p>
        Appen byggs ut just nu. API:t beskrivs i <a href="/api/openapi.json">openapi.json</a>.
      </p>
    </main>
  );
}

const root = document.getElementById('app');
if (root) render(<App />, root);
