-- AlterTable
ALTER TABLE "User" ADD COLUMN     "overseesDeployment" BOOLEAN NOT NULL DEFAULT false;

