-- A plain added column (no table rebuild): every user starts as no overseer.
ALTER TABLE "User" ADD COLUMN "overseesDeployment" BOOLEAN NOT NULL DEFAULT false;
