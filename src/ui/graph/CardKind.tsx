/**
 * CardKind is a card head's kind tag as drawn ("svc", kubectl's short name) and, for a screen reader,
 * the verb and the whole kind. The head is named by its content ("Inspect service web 3 ep"): an
 * aria-label ("Inspect service web") dropped the words a speech user sees and says ("web 3 ep").
 */
export function CardKind({ short, kind }: { short: string; kind: string }) {
  return (
    <>
      <span className="visually-hidden">Inspect {kind} </span>
      <span className="card-kind" aria-hidden="true">
        {short}
      </span>
    </>
  );
}
