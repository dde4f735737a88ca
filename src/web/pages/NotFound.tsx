import { Link } from "../components/Link";
import { usePageTitle } from "../hooks";
import { useI18n } from "../i18n/context";

export function NotFoundPage() {
  const { t } = useI18n();
  usePageTitle("common.notFound");
  return (
    <>
      <h1>{t("common.notFound")}</h1>
      <p>{t("common.notFoundText")}</p>
      <p>
        <Link to="/">{t("common.backHome")}</Link>
      </p>
    </>
  );
}
